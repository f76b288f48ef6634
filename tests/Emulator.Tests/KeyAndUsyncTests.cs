using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Signal;
using static Gateway.Emulator.Tests.TestNodes;

namespace Gateway.Emulator.Tests;

/// <summary>The encrypt and usync namespaces as a companion uses them.</summary>
public sealed class KeyAndUsyncTests
{
    [Fact]
    public async Task Uploaded_one_time_prekeys_are_each_handed_out_once_and_unknown_devices_are_left_out()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var (owner, device) = await PairAndLoginAsync(emulator, "15553000");
        await using var _ = owner;
        var (peer, _) = await PairAndLoginAsync(emulator, "15553001");
        await using var __ = peer;

        await owner.SendAsync(Iq("c1", "encrypt", "get", N("count")));
        Assert.Equal("0", (await owner.ReceiveAsync(n => n.GetAttribute("id") == "c1")).GetRequiredChild("count").GetAttribute("value"));

        var preKeys = Enumerable.Range(1, 2).Select(_ => Curve25519.GenerateKeyPair()).ToArray();
        await owner.SendAsync(Iq("u1", "encrypt", "set",
            B("registration", [0, 0, 0x12, 0x34]),
            B("type", [5]),
            B("identity", owner.IdentityKey.PublicKey),
            N("list", null, preKeys.Select((k, i) => N("key", null, B("id", [0, 0, (byte)(i + 1)]), B("value", k.PublicKey))).ToArray()),
            N("skey", null, B("id", [0, 0, 1]), B("value", owner.SignedPreKey.PublicKey), B("signature", owner.SignedPreKeySignature))));
        Assert.Equal("result", (await owner.ReceiveAsync(n => n.GetAttribute("id") == "u1")).GetAttribute("type"));
        Assert.Equal(2, emulator.Admin.GetDevice(device.Jid)!.PreKeysOnServer);

        var handedOut = new List<byte[]?>();
        for (var i = 0; i < 3; i++)
        {
            var id = "f" + i;
            await peer.SendAsync(Iq(id, "encrypt", "get", N("key", null,
                N("user", [("jid", device.Lid)]), N("user", [("jid", "15553999:1@s.whatsapp.net")]))));
            var list = (await peer.ReceiveAsync(n => n.GetAttribute("id") == id)).GetRequiredChild("list");
            var user = Assert.Single(list.GetChildren("user"));
            Assert.Equal(device.Lid, user.GetAttribute("jid"));
            Assert.Equal(new byte[] { 0, 0, 0x12, 0x34 }, user.GetRequiredChild("registration").Bytes);
            Assert.Equal(owner.IdentityKey.PublicKey, user.GetRequiredChild("identity").Bytes);
            Assert.Equal(owner.SignedPreKeySignature, user.GetChildByPath("skey", "signature")!.Bytes);
            handedOut.Add(user.GetChildByPath("key", "value")?.Bytes);
        }

        Assert.Equal(preKeys[0].PublicKey, handedOut[0]);
        Assert.Equal(preKeys[1].PublicKey, handedOut[1]);
        Assert.Null(handedOut[2]);
    }

    [Fact]
    public async Task Usync_lists_companions_with_key_indexes_the_lid_and_whether_a_contact_is_on_whatsapp()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var (asker, _) = await PairAndLoginAsync(emulator, "15553010");
        await using var _ = asker;
        var (peer, peerDevice) = await PairAndLoginAsync(emulator, "15553011");
        await using var __ = peer;

        await asker.SendAsync(Iq("s1", "usync", "get", N("usync", [("sid", "x"), ("mode", "query"), ("context", "message")],
            N("query", null, N("devices", [("version", "2")]), N("lid"), N("contact")),
            N("list", null,
                N("user", [("jid", "15553011@s.whatsapp.net")]),
                new Node("user", null, [new Node("contact", null, "+15553999")])))));
        var users = (await asker.ReceiveAsync(n => n.GetAttribute("id") == "s1")).GetChildByPath("usync", "list")!.GetChildren("user").ToList();

        Assert.Equal(2, users.Count);
        Assert.Equal("15553011@s.whatsapp.net", users[0].GetAttribute("jid"));
        var listed = Assert.Single(users[0].GetChildByPath("devices", "device-list")!.GetChildren("device"));
        Assert.Equal("1", listed.GetAttribute("id"));
        Assert.Equal("1", listed.GetAttribute("key-index"));
        Assert.Equal(peerDevice.Lid.Replace(":1@", "@", StringComparison.Ordinal), users[0].GetRequiredChild("lid").GetAttribute("val"));
        Assert.Equal("in", users[0].GetRequiredChild("contact").GetAttribute("type"));
        Assert.Equal("15553999@s.whatsapp.net", users[1].GetAttribute("jid"));
        Assert.Equal("out", users[1].GetRequiredChild("contact").GetAttribute("type"));
        Assert.Null(users[1].GetChildByPath("devices", "device-list", "device"));
    }

    [Fact]
    public async Task Unemulated_iqs_get_an_empty_result_and_media_conn_names_the_https_host()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var (companion, _) = await PairAndLoginAsync(emulator, "15553020");
        await using var _ = companion;

        await companion.SendAsync(Iq("b1", "blocklist", "get"));
        var blocklist = await companion.ReceiveAsync(n => n.GetAttribute("id") == "b1");
        await companion.SendAsync(Iq("m1", "w:m", "set", N("media_conn")));
        var media = (await companion.ReceiveAsync(n => n.GetAttribute("id") == "m1")).GetRequiredChild("media_conn");

        Assert.Equal("result", blocklist.GetAttribute("type"));
        Assert.Empty(blocklist.Children);
        Assert.Equal(emulator.MediaHost, media.GetRequiredChild("host").GetAttribute("hostname"));
        Assert.False(string.IsNullOrEmpty(media.GetAttribute("auth")));
    }
}
