using System.Text;
using System.Text.Json.Nodes;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Tests.Interop;
using static Gateway.WebProtocol.Tests.Interop.NodePeer;

namespace Gateway.WebProtocol.Tests.Signal;

/// <summary>Our Signal implementation against stock npm libsignal 6.0.0 and Baileys' group cipher, both directions.</summary>
public class LibsignalInteropTests
{
    private const string Script = "signal/peer.mjs";
    private static readonly JsonObject NodeAddress = Address("node", 1);

    [Fact]
    public async Task Signatures_are_identical_and_verify_both_ways()
    {
        await using var peer = await StartAsync(Script);
        var random = new SeededRandom(31);
        for (var i = 0; i < 40; i++)
        {
            var pair = Curve25519.GenerateKeyPair(random);
            var message = new byte[1 + random.Next(300)];
            random.GetBytes(message);

            var ours = Curve25519.CalculateSignature(pair.PrivateKey, message);
            var theirs = Bytes((await peer.CallAsync(new() { ["cmd"] = "sign", ["privateKey"] = B64(pair.PrivateKey), ["message"] = B64(message) }))["signature"]);
            var verdict = await peer.CallAsync(new() { ["cmd"] = "verify", ["publicKey"] = B64(pair.PublicKey), ["message"] = B64(message), ["signature"] = B64(ours) });

            Assert.Equal(theirs, ours);
            Assert.True(verdict["valid"]!.GetValue<bool>());
            Assert.True(Curve25519.VerifySignature(pair.PublicKey, message, theirs));
        }
    }

    [Fact]
    public async Task We_initiate_then_ratchet_reorder_and_reject_duplicates()
    {
        await using var peer = await StartAsync(Script);
        var us = new SignalParty("us", new SeededRandom(32));
        var node = new ProtocolAddress("node", 1);
        var bundle = await peer.CallAsync(new() { ["cmd"] = "bundle", ["signedPreKeyId"] = 7, ["preKeyId"] = 11 });
        await us.Builder.ProcessBundleAsync(node, ToBundle(bundle), default);

        var first = await us.Cipher.EncryptAsync(node, "first"u8.ToArray(), default);
        Assert.Equal(CiphertextType.PreKey, first.Type);
        Assert.Equal("first", await NodeDecryptAsync(peer, first));

        for (var turn = 0; turn < 5; turn++)
        {
            var reply = await NodeEncryptAsync(peer, $"reply {turn}");
            Assert.Equal($"reply {turn}", Text(await us.Cipher.DecryptAsync(node, reply.Type, reply.Serialized, default)));
            var ours = await us.Cipher.EncryptAsync(node, Encoding.UTF8.GetBytes($"ours {turn}"), default);
            Assert.Equal(CiphertextType.Whisper, ours.Type);
            Assert.Equal($"ours {turn}", await NodeDecryptAsync(peer, ours));
        }

        // Out of order within one chain, each way, then a duplicate each way.
        var batch = new List<CiphertextMessage>();
        for (var i = 0; i < 4; i++)
        {
            batch.Add(await us.Cipher.EncryptAsync(node, Encoding.UTF8.GetBytes($"batch {i}"), default));
        }

        foreach (var i in new[] { 2, 0, 3, 1 })
        {
            Assert.Equal($"batch {i}", await NodeDecryptAsync(peer, batch[i]));
        }

        Assert.False((await NodeTryDecryptAsync(peer, batch[1]))["ok"]!.GetValue<bool>());

        var theirs = new List<CiphertextMessage>();
        for (var i = 0; i < 4; i++)
        {
            theirs.Add(await NodeEncryptAsync(peer, $"theirs {i}"));
        }

        foreach (var i in new[] { 3, 1, 0, 2 })
        {
            Assert.Equal($"theirs {i}", Text(await us.Cipher.DecryptAsync(node, theirs[i].Type, theirs[i].Serialized, default)));
        }

        var duplicate = await Assert.ThrowsAsync<SignalProtocolException>(
            () => us.Cipher.DecryptAsync(node, theirs[0].Type, theirs[0].Serialized, default));
        Assert.Equal(SignalError.DuplicateMessage, duplicate.Error);
    }

    [Fact]
    public async Task They_initiate_and_rebuild_the_session_with_a_new_prekey_message()
    {
        await using var peer = await StartAsync(Script);
        var us = new SignalParty("us", new SeededRandom(33));
        var node = new ProtocolAddress("node", 1);
        var usAddress = Address("us", 1);

        for (var round = 0; round < 2; round++)
        {
            var bundle = await us.CreateBundleAsync();
            if (round == 1)
            {
                await peer.CallAsync(new() { ["cmd"] = "deleteSession", ["with"] = usAddress.DeepClone() });
            }

            await peer.CallAsync(new() { ["cmd"] = "processBundle", ["to"] = usAddress.DeepClone(), ["bundle"] = FromBundle(bundle) });
            var hello = await NodeEncryptAsync(peer, $"hello {round}", usAddress);
            Assert.Equal(CiphertextType.PreKey, hello.Type);
            Assert.Equal($"hello {round}", Text(await us.Cipher.DecryptAsync(node, hello.Type, hello.Serialized, default)));

            for (var turn = 0; turn < 3; turn++)
            {
                var ours = await us.Cipher.EncryptAsync(node, Encoding.UTF8.GetBytes($"ours {round}.{turn}"), default);
                Assert.Equal(CiphertextType.Whisper, ours.Type);
                Assert.Equal($"ours {round}.{turn}", await NodeDecryptAsync(peer, ours, usAddress));
                var theirs = await NodeEncryptAsync(peer, $"theirs {round}.{turn}", usAddress);
                Assert.Equal($"theirs {round}.{turn}", Text(await us.Cipher.DecryptAsync(node, theirs.Type, theirs.Serialized, default)));
            }
        }

        Assert.Equal(1, (await us.Sessions.LoadSessionAsync(node, default))!.PreviousSessionCount);
        Assert.Equal(0, us.PreKeys.Count);
    }

    [Fact]
    public async Task We_rebuild_with_a_new_bundle_and_they_follow()
    {
        await using var peer = await StartAsync(Script);
        var us = new SignalParty("us", new SeededRandom(34));
        var node = new ProtocolAddress("node", 1);
        for (var round = 0; round < 2; round++)
        {
            var bundle = await peer.CallAsync(new() { ["cmd"] = "bundle", ["signedPreKeyId"] = 1 + round, ["preKeyId"] = 100 + round });
            await us.Builder.ProcessBundleAsync(node, ToBundle(bundle), default);
            var hello = await us.Cipher.EncryptAsync(node, Encoding.UTF8.GetBytes($"hello {round}"), default);
            Assert.Equal(CiphertextType.PreKey, hello.Type);
            Assert.Equal($"hello {round}", await NodeDecryptAsync(peer, hello));
            var reply = await NodeEncryptAsync(peer, $"reply {round}");
            Assert.Equal($"reply {round}", Text(await us.Cipher.DecryptAsync(node, reply.Type, reply.Serialized, default)));
        }
    }

    [Fact]
    public async Task Sender_keys_work_with_the_baileys_group_cipher_both_ways()
    {
        await using var peer = await StartAsync(Script);
        var us = new SignalParty("us", new SeededRandom(35));
        var builder = new GroupSessionBuilder(us.SenderKeys, new SeededRandom(36));
        var cipher = new GroupCipher(us.SenderKeys);
        var theirName = new SenderKeyName("group-1", new ProtocolAddress("node", 1));
        var ourName = new SenderKeyName("group-1", us.Address);

        var theirDistribution = Bytes((await peer.CallAsync(new() { ["cmd"] = "groupCreate", ["group"] = "group-1", ["sender"] = NodeAddress.DeepClone() }))["distribution"]);
        await builder.ProcessAsync(theirName, SenderKeyDistributionMessage.Parse(theirDistribution), default);
        var theirMessages = new List<byte[]>();
        for (var i = 0; i < 5; i++)
        {
            theirMessages.Add(Bytes((await peer.CallAsync(new()
            {
                ["cmd"] = "groupEncrypt", ["group"] = "group-1", ["sender"] = NodeAddress.DeepClone(), ["plaintext"] = B64(Encoding.UTF8.GetBytes($"from node {i}")),
            }))["ciphertext"]));
        }

        foreach (var i in new[] { 1, 0, 4, 2, 3 })
        {
            Assert.Equal($"from node {i}", Text(await cipher.DecryptAsync(theirName, theirMessages[i], default)));
        }

        var duplicate = await Assert.ThrowsAsync<SignalProtocolException>(() => cipher.DecryptAsync(theirName, theirMessages[2], default));
        Assert.Equal(SignalError.DuplicateMessage, duplicate.Error);

        var ourDistribution = await builder.CreateAsync(ourName, default);
        await peer.CallAsync(new() { ["cmd"] = "groupProcess", ["group"] = "group-1", ["sender"] = Address("us", 1), ["distribution"] = B64(ourDistribution.Serialized) });
        var ourMessages = new List<byte[]>();
        for (var i = 0; i < 5; i++)
        {
            ourMessages.Add(await cipher.EncryptAsync(ourName, Encoding.UTF8.GetBytes($"from us {i}"), default));
        }

        foreach (var i in new[] { 0, 3, 1, 4, 2 })
        {
            var answer = await peer.CallAsync(new() { ["cmd"] = "groupDecrypt", ["group"] = "group-1", ["sender"] = Address("us", 1), ["ciphertext"] = B64(ourMessages[i]) });
            Assert.Equal($"from us {i}", Text(Bytes(answer["plaintext"])));
        }
    }

    private static async Task<string> NodeDecryptAsync(NodePeer peer, CiphertextMessage message, JsonObject? from = null)
    {
        var answer = await NodeTryDecryptAsync(peer, message, from);
        Assert.True(answer["ok"]!.GetValue<bool>(), answer["error"]?.ToString());
        return Text(Bytes(answer["plaintext"]));
    }

    private static Task<JsonObject> NodeTryDecryptAsync(NodePeer peer, CiphertextMessage message, JsonObject? from = null) =>
        peer.TryCallAsync(new()
        {
            ["cmd"] = "decrypt", ["from"] = (from ?? Address("us", 1)).DeepClone(), ["type"] = (int)message.Type, ["body"] = B64(message.Serialized),
        });

    private static async Task<CiphertextMessage> NodeEncryptAsync(NodePeer peer, string text, JsonObject? to = null)
    {
        var answer = await peer.CallAsync(new() { ["cmd"] = "encrypt", ["to"] = (to ?? Address("us", 1)).DeepClone(), ["plaintext"] = B64(Encoding.UTF8.GetBytes(text)) });
        return new CiphertextMessage((CiphertextType)answer["type"]!.GetValue<int>(), Bytes(answer["body"]), 0);
    }

    private static PreKeyBundle ToBundle(JsonObject bundle) => new(
        bundle["registrationId"]!.GetValue<uint>(),
        Bytes(bundle["identityKey"]),
        bundle["signedPreKeyId"]!.GetValue<uint>(),
        Bytes(bundle["signedPreKey"]),
        Bytes(bundle["signedPreKeySignature"]),
        bundle["preKeyId"]?.GetValue<uint>(),
        bundle["preKey"] is null ? null : Bytes(bundle["preKey"]));

    private static JsonObject FromBundle(PreKeyBundle bundle)
    {
        var json = new JsonObject
        {
            ["registrationId"] = bundle.RegistrationId,
            ["identityKey"] = B64(bundle.IdentityKey),
            ["signedPreKeyId"] = bundle.SignedPreKeyId,
            ["signedPreKey"] = B64(bundle.SignedPreKey),
            ["signedPreKeySignature"] = B64(bundle.SignedPreKeySignature),
        };
        if (bundle.PreKey is not null)
        {
            json["preKeyId"] = bundle.PreKeyId;
            json["preKey"] = B64(bundle.PreKey);
        }

        return json;
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
