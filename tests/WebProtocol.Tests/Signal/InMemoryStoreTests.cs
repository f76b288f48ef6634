using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.WebProtocol.Tests.Signal;

public class InMemoryStoreTests
{
    private static readonly ProtocolAddress Alice1 = new("alice", 1);
    private static readonly ProtocolAddress Alice2 = new("alice", 2);
    private static readonly ProtocolAddress Bob1 = new("bob", 1);

    [Fact]
    public async Task Identity_store_trusts_on_first_use_and_reports_replacement()
    {
        var random = new SeededRandom(1);
        var store = new InMemoryIdentityKeyStore(Curve25519.GenerateKeyPair(random), 1234);
        var first = Curve25519.GenerateKeyPair(random).PublicKey;
        var second = Curve25519.GenerateKeyPair(random).PublicKey;

        Assert.Equal(1234u, await store.GetLocalRegistrationIdAsync(default));
        Assert.True(await store.IsTrustedIdentityAsync(Alice1, first, TrustDirection.Sending, default));
        Assert.Equal(IdentitySaveResult.NewOrUnchanged, await store.SaveIdentityAsync(Alice1, first, default));
        Assert.Equal(IdentitySaveResult.NewOrUnchanged, await store.SaveIdentityAsync(Alice1, first, default));
        Assert.False(await store.IsTrustedIdentityAsync(Alice1, second, TrustDirection.Receiving, default));
        Assert.Equal(IdentitySaveResult.Replaced, await store.SaveIdentityAsync(Alice1, second, default));
        Assert.True(await store.IsTrustedIdentityAsync(Alice1, second, TrustDirection.Receiving, default));
        Assert.Equal(second, await store.GetIdentityAsync(Alice1, default));
    }

    [Fact]
    public async Task Session_store_hands_out_copies_and_loads_in_batches()
    {
        var store = new InMemorySessionStore();
        var record = new SessionRecord();
        record.Structure.CurrentSession = new Gateway.WebProtocol.Signal.Storage.SessionStructure { RemoteRegistrationId = 7 };
        await store.StoreSessionsAsync([new(Alice1, record), new(Alice2, new SessionRecord())], default);

        var loaded = await store.LoadSessionsAsync([Alice1, Alice2, Bob1], default);
        loaded[Alice1].Structure.CurrentSession.RemoteRegistrationId = 99;

        Assert.Equal(2, loaded.Count);
        Assert.Equal(7u, (await store.LoadSessionAsync(Alice1, default))!.RemoteRegistrationId);
        await store.DeleteAllSessionsAsync("alice", default);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Prekey_stores_keep_batches_and_remove_by_id()
    {
        var random = new SeededRandom(2);
        var preKeys = new InMemoryPreKeyStore();
        await preKeys.StorePreKeysAsync([new(1, Curve25519.GenerateKeyPair(random)), new(2, Curve25519.GenerateKeyPair(random))], default);
        await preKeys.RemovePreKeyAsync(1, default);

        Assert.Null(await preKeys.LoadPreKeyAsync(1, default));
        Assert.NotNull(await preKeys.LoadPreKeyAsync(2, default));

        var signed = new InMemorySignedPreKeyStore();
        await signed.StoreSignedPreKeyAsync(new(5, Curve25519.GenerateKeyPair(random), new byte[64], 1000), default);
        Assert.Equal(5u, Assert.Single(await signed.LoadSignedPreKeysAsync(default)).Id);
    }

    [Fact]
    public async Task Sender_key_store_deletes_a_whole_group()
    {
        var store = new InMemorySenderKeyStore();
        var name = new SenderKeyName("group", Alice1);
        var other = new SenderKeyName("other", Alice1);
        await store.StoreSenderKeyAsync(name, new SenderKeyRecord(), default);
        await store.StoreSenderKeyAsync(other, new SenderKeyRecord(), default);

        await store.DeleteSenderKeysAsync("group", default);

        Assert.Null(await store.LoadSenderKeyAsync(name, default));
        Assert.NotNull(await store.LoadSenderKeyAsync(other, default));
    }

    [Theory]
    [InlineData("")]
    [InlineData("02")]
    [InlineData("010a")]
    public void Record_bytes_with_unknown_version_or_bad_body_are_rejected(string hex)
    {
        Assert.Throws<WireFormatException>(() => SessionRecord.Deserialize(Convert.FromHexString(hex)));
        Assert.Throws<WireFormatException>(() => SenderKeyRecord.Deserialize(Convert.FromHexString(hex)));
    }
}
