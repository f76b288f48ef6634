using Gateway.Emulator.Admin;
using Gateway.WebProtocol.Binary;
using static Gateway.Emulator.Tests.TestNodes;

namespace Gateway.Emulator.Tests;

/// <summary>Message fan-out, acks, receipts and redelivery of what a device never confirmed.</summary>
public sealed class RoutingTests
{
    private static Node Message(string id, string to, params (string Jid, byte[] Payload)[] participants) =>
        N("message", [("id", id), ("to", to), ("type", "text")],
            N("participants", null, participants.Select(p =>
                N("to", [("jid", p.Jid)], new Node("enc", new NodeAttributes { ["v"] = "2", ["type"] = "msg" }, p.Payload))).ToArray()));

    [Fact]
    public async Task A_message_reaches_each_listed_device_and_the_sender_gets_an_ack_and_the_receipt()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var (alice, aliceDevice) = await PairAndLoginAsync(emulator, "15554000");
        await using var _ = alice;
        var (bob, bobDevice) = await PairAndLoginAsync(emulator, "15554001");
        await using var __ = bob;

        await alice.SendAsync(Message("M1", "15554001@s.whatsapp.net", (bobDevice.Lid, [1, 2, 3])));

        var ack = await alice.ReceiveAsync(n => n.Tag == "ack");
        Assert.Equal(("message", "M1", "15554001@s.whatsapp.net"), (ack.GetAttribute("class"), ack.GetAttribute("id"), ack.GetAttribute("from")));
        var delivered = await bob.ReceiveAsync(n => n.Tag == "message");
        Assert.Equal(aliceDevice.Lid, delivered.GetAttribute("from"));
        Assert.Equal("M1", delivered.GetAttribute("id"));
        Assert.Null(delivered.GetAttribute("offline"));
        Assert.Equal(new byte[] { 1, 2, 3 }, delivered.GetRequiredChild("enc").Bytes);

        await bob.SendAsync(N("receipt", [("id", "M1"), ("to", aliceDevice.Lid)]));
        var receipt = await alice.ReceiveAsync(n => n.Tag == "receipt");
        Assert.Equal(bobDevice.Lid, receipt.GetAttribute("from"));
        Assert.Equal("M1", receipt.GetAttribute("id"));
        Assert.Equal(0, emulator.Admin.GetDevice(bobDevice.Jid)!.PendingStanzas);
        Assert.Equal(1, emulator.Admin.GetDevice(aliceDevice.Jid)!.Sent["message"]);
    }

    [Fact]
    public async Task The_senders_other_device_gets_the_copy_with_the_chat_as_recipient()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var (phoneA, _) = await PairAndLoginAsync(emulator, "15554010");
        await using var _ = phoneA;
        var (laptopA, laptopDevice) = await PairAndLoginAsync(emulator, "15554010");
        await using var __ = laptopA;
        var (bob, bobDevice) = await PairAndLoginAsync(emulator, "15554011");
        await using var ___ = bob;

        await phoneA.SendAsync(Message("M2", "15554011@s.whatsapp.net", (bobDevice.Jid, [9]), (laptopDevice.Jid, [8])));

        var copy = await laptopA.ReceiveAsync(n => n.Tag == "message");
        Assert.Equal("15554011@s.whatsapp.net", copy.GetAttribute("recipient"));
        Assert.Equal("15554010:1@s.whatsapp.net", copy.GetAttribute("from"));
        Assert.Null((await bob.ReceiveAsync(n => n.Tag == "message")).GetAttribute("recipient"));
    }

    [Fact]
    public async Task Unconfirmed_messages_are_replayed_oldest_first_marked_offline_until_a_receipt_confirms_them()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var (alice, _) = await PairAndLoginAsync(emulator, "15554020");
        await using var _ = alice;
        var bob = new TestCompanion(emulator);
        await using var __ = bob;
        var bobDevice = await bob.PairAsync("15554021");

        await alice.SendAsync(Message("O1", "15554021@s.whatsapp.net", (bobDevice.Jid, [1])));
        await alice.SendAsync(Message("O2", "15554021@s.whatsapp.net", (bobDevice.Jid, [2])));
        await alice.ReceiveAsync(n => n.Tag == "ack" && n.GetAttribute("id") == "O2");
        Assert.Equal(2, emulator.Admin.GetDevice(bobDevice.Jid)!.PendingStanzas);

        // First login: both arrive offline, oldest first, before the marker; bob drops without confirming.
        await bob.ConnectForLoginAsync(bobDevice.Jid);
        Assert.Equal("success", (await bob.ReceiveAsync()).Tag);
        var first = await bob.ReceiveAsync();
        var second = await bob.ReceiveAsync();
        var marker = await bob.ReceiveAsync();
        Assert.Equal(("O1", "1"), (first.GetAttribute("id"), first.GetAttribute("offline")));
        Assert.Equal(("O2", "1"), (second.GetAttribute("id"), second.GetAttribute("offline")));
        Assert.Equal("2", marker.GetRequiredChild("offline").GetAttribute("count"));
        await bob.SendAsync(N("receipt", [("id", "O1"), ("to", "15554020:1@s.whatsapp.net")]));
        Assert.True(await Eventually.TrueAsync(() => emulator.Admin.GetDevice(bobDevice.Jid)!.PendingStanzas == 1));
        await bob.DisconnectAsync();

        // Second login: only the unconfirmed one comes again.
        await bob.ConnectForLoginAsync(bobDevice.Jid);
        Assert.Equal("success", (await bob.ReceiveAsync()).Tag);
        Assert.Equal("O2", (await bob.ReceiveAsync()).GetAttribute("id"));
        Assert.Equal("1", (await bob.ReceiveAsync()).GetRequiredChild("offline").GetAttribute("count"));
    }

    [Fact]
    public async Task A_delayed_ack_does_not_hold_up_the_connection()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var (alice, aliceDevice) = await PairAndLoginAsync(emulator, "15554030");
        await using var _ = alice;
        var (bob, bobDevice) = await PairAndLoginAsync(emulator, "15554031");
        await using var __ = bob;
        Assert.True(emulator.Admin.SetFaults(aliceDevice.Jid, new FaultSettings(AckDelayMs: 400)));

        await alice.SendAsync(Message("D1", "15554031@s.whatsapp.net", (bobDevice.Jid, [1])));
        await alice.SendAsync(Iq("p1", "w:p", "get", N("ping")));

        var next = await alice.ReceiveAsync(n => n.Tag is "ack" or "iq");
        Assert.Equal("p1", next.GetAttribute("id"));
        Assert.Equal("D1", (await alice.ReceiveAsync(n => n.Tag == "ack")).GetAttribute("id"));
    }
}
