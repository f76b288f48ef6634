using System.Text;
using Gateway.WebProtocol.Signal;

namespace Gateway.WebProtocol.Tests.Signal;

public class SessionCipherTests
{
    [Fact]
    public async Task First_message_is_a_prekey_message_and_replies_ratchet()
    {
        var random = new SeededRandom(21);
        var alice = new SignalParty("alice", random);
        var bob = new SignalParty("bob", random);
        await alice.Builder.ProcessBundleAsync(bob.Address, await bob.CreateBundleAsync(), default);

        var first = await alice.EncryptAsync(bob, "hello"u8.ToArray());
        Assert.Equal(CiphertextType.PreKey, first.Type);
        Assert.Equal(bob.RegistrationId, first.RemoteRegistrationId);
        Assert.Equal("hello", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, first)));
        Assert.Equal(0, bob.PreKeys.Count);

        for (var turn = 0; turn < 4; turn++)
        {
            var reply = await bob.EncryptAsync(alice, Encoding.UTF8.GetBytes($"reply {turn}"));
            Assert.Equal(CiphertextType.Whisper, reply.Type);
            Assert.Equal($"reply {turn}", Encoding.UTF8.GetString(await alice.DecryptAsync(bob, reply)));
            var next = await alice.EncryptAsync(bob, Encoding.UTF8.GetBytes($"next {turn}"));
            Assert.Equal(CiphertextType.Whisper, next.Type);
            Assert.Equal($"next {turn}", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, next)));
        }
    }

    [Fact]
    public async Task Out_of_order_messages_decrypt_and_duplicates_are_rejected_without_state_change()
    {
        var random = new SeededRandom(22);
        var alice = new SignalParty("alice", random);
        var bob = new SignalParty("bob", random);
        await alice.Builder.ProcessBundleAsync(bob.Address, await bob.CreateBundleAsync(withOneTimePreKey: false), default);
        var messages = new List<CiphertextMessage>();
        for (var i = 0; i < 5; i++)
        {
            messages.Add(await alice.EncryptAsync(bob, [(byte)i]));
        }

        foreach (var index in new[] { 3, 0, 4, 1, 2 })
        {
            Assert.Equal([(byte)index], await bob.DecryptAsync(alice, messages[index]));
        }

        var before = (await bob.Sessions.LoadSessionAsync(alice.Address, default))!.Serialize();
        var duplicate = await Assert.ThrowsAsync<SignalProtocolException>(() => bob.DecryptAsync(alice, messages[2]));
        Assert.Equal(SignalError.DuplicateMessage, duplicate.Error);
        Assert.Equal(before, (await bob.Sessions.LoadSessionAsync(alice.Address, default))!.Serialize());
    }

    [Theory]
    [InlineData("mac")]
    [InlineData("truncated")]
    [InlineData("version")]
    [InlineData("empty")]
    public async Task Damaged_messages_fail_with_a_typed_error_and_leave_state_unchanged(string damage)
    {
        var random = new SeededRandom(23);
        var alice = new SignalParty("alice", random);
        var bob = new SignalParty("bob", random);
        await alice.Builder.ProcessBundleAsync(bob.Address, await bob.CreateBundleAsync(), default);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "setup"u8.ToArray()));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "ack"u8.ToArray()));
        var message = await alice.EncryptAsync(bob, "payload"u8.ToArray());
        Assert.Equal(CiphertextType.Whisper, message.Type);
        var bytes = (byte[])message.Serialized.Clone();
        (byte[] damaged, SignalError expected) = damage switch
        {
            "mac" => (Flip(bytes, bytes.Length - 1), SignalError.InvalidMac),
            "truncated" => (bytes[..(bytes.Length / 2)], SignalError.InvalidMessage),
            "version" => (Replace(bytes, 0, 0x23), SignalError.UnsupportedVersion),
            _ => (Array.Empty<byte>(), SignalError.InvalidMessage),
        };
        var before = (await bob.Sessions.LoadSessionAsync(alice.Address, default))!.Serialize();

        var error = await Assert.ThrowsAsync<SignalProtocolException>(
            () => bob.Cipher.DecryptSignalMessageAsync(alice.Address, damaged, default));

        Assert.Equal(expected, error.Error);
        Assert.Equal(before, (await bob.Sessions.LoadSessionAsync(alice.Address, default))!.Serialize());
        Assert.Equal("payload", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, message)));
    }

    [Fact]
    public async Task New_prekey_message_replaces_the_open_session_and_old_one_still_decrypts()
    {
        var random = new SeededRandom(24);
        var alice = new SignalParty("alice", random);
        var bob = new SignalParty("bob", random);
        await alice.Builder.ProcessBundleAsync(bob.Address, await bob.CreateBundleAsync(), default);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "one"u8.ToArray()));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "two"u8.ToArray()));
        var late = await alice.EncryptAsync(bob, "late"u8.ToArray());

        // Alice starts over from a fresh bundle while her last message on the old session is still in flight.
        await alice.Builder.ProcessBundleAsync(bob.Address, await bob.CreateBundleAsync(), default);
        var restart = await alice.EncryptAsync(bob, "restart"u8.ToArray());
        Assert.Equal(CiphertextType.PreKey, restart.Type);

        Assert.Equal("restart", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, restart)));
        Assert.Equal(1, (await bob.Sessions.LoadSessionAsync(alice.Address, default))!.PreviousSessionCount);
        Assert.Equal("late", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, late)));
        var answer = await bob.EncryptAsync(alice, "answer"u8.ToArray());
        Assert.Equal("answer", Encoding.UTF8.GetString(await alice.DecryptAsync(bob, answer)));
    }

    [Fact]
    public async Task Untrusted_identity_and_unknown_prekey_are_refused()
    {
        var random = new SeededRandom(25);
        var alice = new SignalParty("alice", random);
        var bob = new SignalParty("bob", random);
        var stranger = new SignalParty("stranger", random);
        await alice.Stores.Identities.SaveIdentityAsync(bob.Address, stranger.IdentityKeyPair.PublicKey, default);

        var untrusted = await Assert.ThrowsAsync<SignalProtocolException>(
            async () => await alice.Builder.ProcessBundleAsync(bob.Address, await bob.CreateBundleAsync(), default));
        Assert.Equal(SignalError.UntrustedIdentity, untrusted.Error);

        var carol = new SignalParty("carol", random);
        await carol.Builder.ProcessBundleAsync(bob.Address, await bob.CreateBundleAsync(), default);
        await bob.PreKeys.RemovePreKeyAsync(2, default);
        var unknown = await Assert.ThrowsAsync<SignalProtocolException>(
            async () => await bob.DecryptAsync(carol, await carol.EncryptAsync(bob, "x"u8.ToArray())));
        Assert.Equal(SignalError.UnknownPreKey, unknown.Error);
        Assert.Null(await bob.Sessions.LoadSessionAsync(carol.Address, default));
    }

    [Fact]
    public async Task Bundle_with_a_bad_signature_is_refused()
    {
        var random = new SeededRandom(26);
        var alice = new SignalParty("alice", random);
        var bob = new SignalParty("bob", random);
        var bundle = await bob.CreateBundleAsync();
        var forged = bundle with { SignedPreKeySignature = Flip((byte[])bundle.SignedPreKeySignature.Clone(), 5) };

        var error = await Assert.ThrowsAsync<SignalProtocolException>(() => alice.Builder.ProcessBundleAsync(bob.Address, forged, default));

        Assert.Equal(SignalError.InvalidKey, error.Error);
    }

    [Fact]
    public async Task Skipped_keys_are_bounded_and_far_future_messages_refused()
    {
        var random = new SeededRandom(27);
        var alice = new SignalParty("alice", random);
        var bob = new SignalParty("bob", random);
        await alice.Builder.ProcessBundleAsync(bob.Address, await bob.CreateBundleAsync(), default);
        var messages = new List<CiphertextMessage>();
        for (var i = 0; i < 2600; i++)
        {
            messages.Add(await alice.EncryptAsync(bob, BitConverter.GetBytes(i)));
        }

        var tooFar = await Assert.ThrowsAsync<SignalProtocolException>(() => bob.DecryptAsync(alice, messages[2100]));
        Assert.Equal(SignalError.InvalidMessage, tooFar.Error);
        Assert.Null(await bob.Sessions.LoadSessionAsync(alice.Address, default));

        await bob.DecryptAsync(alice, messages[1990]);
        await bob.DecryptAsync(alice, messages[2500]);
        var chain = Assert.Single((await bob.Sessions.LoadSessionAsync(alice.Address, default))!.Structure.CurrentSession.ReceiverChains);
        Assert.Equal(SessionState.MaxSkippedMessageKeys, chain.MessageKeys.Count);
        Assert.Equal(BitConverter.GetBytes(2499), await bob.DecryptAsync(alice, messages[2499]));
        var trimmed = await Assert.ThrowsAsync<SignalProtocolException>(() => bob.DecryptAsync(alice, messages[10]));
        Assert.Equal(SignalError.DuplicateMessage, trimmed.Error);
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        bytes[index] ^= 0x01;
        return bytes;
    }

    private static byte[] Replace(byte[] bytes, int index, byte value)
    {
        bytes[index] = value;
        return bytes;
    }
}
