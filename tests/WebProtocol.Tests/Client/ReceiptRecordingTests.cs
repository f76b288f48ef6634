using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client;
using static Gateway.WebProtocol.Tests.Client.TestNodes;

namespace Gateway.WebProtocol.Tests.Client;

/// <summary>
/// With <see cref="WaClientOptions.AckReceiptsWhenRecorded"/>, a receipt is acknowledged only once every status it
/// carried was recorded by the application, and one whose status could not be recorded is not acknowledged at all.
/// </summary>
public sealed class ReceiptRecordingTests
{
    private const string PeerLid = "55554444@lid";

    [Fact]
    public async Task A_receipt_is_acknowledged_once_all_its_statuses_are_recorded_and_not_before()
    {
        await using var harness = ClientHarness.Create(40, options => options with { AckReceiptsWhenRecorded = true });
        await harness.PairAndLoginAsync();
        var session = harness.Session!;

        // One receipt for two messages (a list), then one for a third.
        await session.SendAsync(N("receipt", [("id", "MSG-A"), ("from", PeerLid), ("t", "2")], N("list", [], N("item", ("id", "MSG-B")))));
        await session.SendAsync(N("receipt", ("id", "MSG-C"), ("from", PeerLid), ("t", "3")));
        var a = await harness.NextEventAsync<MessageStatusEvent>();
        var b = await harness.NextEventAsync<MessageStatusEvent>();
        var c = await harness.NextEventAsync<MessageStatusEvent>();
        Assert.Equal(["MSG-A", "MSG-B", "MSG-C"], [a.MessageId, b.MessageId, c.MessageId]);
        Assert.Same(a.Recording, b.Recording);

        a.Recording!.Recorded();
        c.Recording!.Recorded();
        var skipped = new List<Node>();
        var ackC = await session.ExpectAsync(IsReceiptAck, skipped);
        Assert.Equal("MSG-C", ackC.GetAttribute("id"));
        Assert.DoesNotContain(skipped, IsReceiptAck); // the first receipt still waits for MSG-B

        b.Recording!.Recorded();
        var ackA = await session.ExpectAsync(IsReceiptAck);
        Assert.Equal("MSG-A", ackA.GetAttribute("id"));
    }

    [Fact]
    public async Task A_receipt_whose_status_was_not_recorded_is_not_acknowledged()
    {
        await using var harness = ClientHarness.Create(41, options => options with { AckReceiptsWhenRecorded = true });
        await harness.PairAndLoginAsync();
        var session = harness.Session!;

        await session.SendAsync(N("receipt", ("id", "MSG-A"), ("from", PeerLid), ("t", "2")));
        await session.SendAsync(N("receipt", ("id", "MSG-B"), ("from", PeerLid), ("t", "3")));
        var a = await harness.NextEventAsync<MessageStatusEvent>();
        var b = await harness.NextEventAsync<MessageStatusEvent>();

        a.Recording!.NotRecorded(new IOException("commit failed"));
        b.Recording!.Recorded();
        var skipped = new List<Node>();
        var ack = await session.ExpectAsync(IsReceiptAck, skipped);
        Assert.Equal("MSG-B", ack.GetAttribute("id"));
        a.Recording.Recorded(); // too late: a failed recording stays failed

        // A later receipt goes through; the failed one was never acknowledged meanwhile.
        await session.SendAsync(N("receipt", ("id", "MSG-C"), ("from", PeerLid), ("t", "4")));
        (await harness.NextEventAsync<MessageStatusEvent>()).Recording!.Recorded();
        var later = await session.ExpectAsync(IsReceiptAck, skipped);
        Assert.Equal("MSG-C", later.GetAttribute("id"));
        Assert.DoesNotContain(skipped, IsReceiptAck);
    }

    private static bool IsReceiptAck(Node node) => node.Tag == "ack" && node.GetAttribute("class") == "receipt";
}
