using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.SessionStore.Tests.Contracts;

public abstract partial class TenantStoresContract
{
    private static readonly ProtocolAddress Alice1 = new("111_1", 1);
    private static readonly ProtocolAddress Alice2 = new("111_1", 2);
    private static readonly ProtocolAddress Bob0 = new("222_1", 0);

    [Fact]
    public Task Identity_is_ours_and_remote_keys_are_trusted_on_first_use() => RunAsync(async stores =>
    {
        var ids = stores.Signal.Identities;
        var ours = await ids.GetIdentityKeyPairAsync(None);
        Assert.Equal(Identity.PublicKey, ours.PublicKey);
        Assert.Equal(Identity.PrivateKey, ours.PrivateKey);
        Assert.Equal(RegistrationId, await ids.GetLocalRegistrationIdAsync(None));

        Assert.True(await ids.IsTrustedIdentityAsync(Alice1, Filled(32, 1), TrustDirection.Receiving, None));
        Assert.Equal(IdentitySaveResult.NewOrUnchanged, await ids.SaveIdentityAsync(Alice1, Filled(32, 1), None));
        Assert.Equal(IdentitySaveResult.NewOrUnchanged, await ids.SaveIdentityAsync(Alice1, Filled(32, 1), None));
        Assert.False(await ids.IsTrustedIdentityAsync(Alice1, Filled(32, 2), TrustDirection.Sending, None));
        Assert.Equal(IdentitySaveResult.Replaced, await ids.SaveIdentityAsync(Alice1, Filled(32, 2), None));
        Assert.Equal(Filled(32, 2), await ids.GetIdentityAsync(Alice1, None));
        Assert.Null(await ids.GetIdentityAsync(Bob0, None));
    });

    [Fact]
    public Task Prekeys_and_signed_prekeys_are_stored_loaded_and_removed() => RunAsync(async stores =>
    {
        var pair = new KeyPair(Filled(32, 3), Filled(32, 4));
        await stores.Signal.PreKeys.StorePreKeysAsync([new PreKeyRecord(1, pair), new PreKeyRecord(uint.MaxValue, pair)], None);
        var loaded = await stores.Signal.PreKeys.LoadPreKeyAsync(uint.MaxValue, None);
        Assert.Equal(uint.MaxValue, loaded!.Id);
        Assert.Equal(pair.PublicKey, loaded.KeyPair.PublicKey);
        Assert.Equal(pair.PrivateKey, loaded.KeyPair.PrivateKey);
        await stores.Signal.PreKeys.RemovePreKeyAsync(1, None);
        Assert.Null(await stores.Signal.PreKeys.LoadPreKeyAsync(1, None));

        var signed = stores.Signal.SignedPreKeys;
        await signed.StoreSignedPreKeyAsync(new SignedPreKeyRecord(9, pair, Filled(64, 5), 1_700_000_000_000), None);
        await signed.StoreSignedPreKeyAsync(new SignedPreKeyRecord(8, pair, Filled(64, 6), 1_600_000_000_000), None);
        Assert.Equal([8u, 9u], (await signed.LoadSignedPreKeysAsync(None)).Select(r => r.Id));
        var nine = await signed.LoadSignedPreKeyAsync(9, None);
        Assert.Equal(Filled(64, 5), nine!.Signature);
        Assert.Equal(1_700_000_000_000L, nine.TimestampMilliseconds);
        await signed.RemoveSignedPreKeyAsync(9, None);
        Assert.Null(await signed.LoadSignedPreKeyAsync(9, None));
    });

    [Fact]
    public Task Sessions_round_trip_in_batches_and_delete_by_name() => RunAsync(async stores =>
    {
        var sessions = stores.Signal.Sessions;
        var record = new SessionRecord();
        await sessions.StoreSessionsAsync([KeyValuePair.Create(Alice1, record), KeyValuePair.Create(Alice2, record)], None);
        await sessions.StoreSessionAsync(Bob0, record, None);

        var loaded = await sessions.LoadSessionsAsync([Alice1, Alice2, new ProtocolAddress("333_1", 0)], None);
        Assert.Equal([Alice1, Alice2], loaded.Keys.OrderBy(a => a.DeviceId));
        Assert.Equal(record.Serialize(), loaded[Alice1].Serialize());

        await sessions.DeleteAllSessionsAsync("111_1", None);
        Assert.Empty(await sessions.LoadSessionsAsync([Alice1, Alice2], None));
        Assert.NotNull(await sessions.LoadSessionAsync(Bob0, None));
        await sessions.DeleteSessionAsync(Bob0, None);
        Assert.Null(await sessions.LoadSessionAsync(Bob0, None));
    });

    [Fact]
    public Task Sender_keys_are_kept_per_group_and_sender() => RunAsync(async stores =>
    {
        var keys = stores.Signal.SenderKeys;
        var record = new SenderKeyRecord();
        await keys.StoreSenderKeyAsync(new SenderKeyName("g1@g.us", Alice1), record, None);
        await keys.StoreSenderKeyAsync(new SenderKeyName("g2@g.us", Alice1), record, None);

        Assert.NotNull(await keys.LoadSenderKeyAsync(new SenderKeyName("g1@g.us", Alice1), None));
        Assert.Null(await keys.LoadSenderKeyAsync(new SenderKeyName("g1@g.us", Bob0), None));
        await keys.DeleteSenderKeysAsync("g1@g.us", None);
        Assert.Null(await keys.LoadSenderKeyAsync(new SenderKeyName("g1@g.us", Alice1), None));
        Assert.NotNull(await keys.LoadSenderKeyAsync(new SenderKeyName("g2@g.us", Alice1), None));
    });
}
