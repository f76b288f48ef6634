using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client;
using static Gateway.WebProtocol.Tests.Client.TestNodes;

namespace Gateway.WebProtocol.Tests.Client;

/// <summary>
/// A delivery or read receipt goes to <see cref="WaClientOptions.ReceiptHandler"/> with every status it carries, and
/// is acknowledged only after the handler returned; one whose handler threw is not acknowledged at all.
/// </summary>
public sealed class ReceiptRecordingTests
{
    private const string PeerLid = "55554444@lid";

    [Fact]
    public async Task A_receipt_is_acknowledged_only_after_its_handler_returned()
    {
        var journal = new List<string>();
        await using var harness = ClientHarness.Create(40, options => options with
        {
            ReceiptHandler = async (statuses, token) =>
            {
                // A slow commit: an ack sent before it ended would be journaled first.
                await Task.Delay(200, token);
                lock (journal)
                {
                    journal.Add("recorded " + string.Join(",", statuses.Select(s => s.MessageId)));
                }
            },
        });
        await harness.PairAndLoginAsync();
        var session = harness.Session!;

        // One receipt for two messages (a list).
        await session.SendAsync(N("receipt", [("id", "MSG-A"), ("from", PeerLid), ("t", "2")], N("list", [], N("item", ("id", "MSG-B")))));
        var ack = await session.ExpectAsync(IsReceiptAck);
        lock (journal)
        {
            journal.Add("ack " + ack.GetAttribute("id"));
        }

        Assert.Equal(["recorded MSG-A,MSG-B", "ack MSG-A"], journal);
        var a = await harness.NextEventAsync<MessageStatusEvent>();
        var b = await harness.NextEventAsync<MessageStatusEvent>();
        Assert.Equal(["MSG-A", "MSG-B"], [a.MessageId, b.MessageId]);
    }

    [Fact]
    public async Task A_receipt_whose_handler_threw_is_not_acknowledged()
    {
        var failNext = true;
        await using var harness = ClientHarness.Create(41, options => options with
        {
            ReceiptHandler = (_, _) => Interlocked.Exchange(ref failNext, false) ? throw new IOException("commit failed") : Task.CompletedTask,
        });
        await harness.PairAndLoginAsync();
        var session = harness.Session!;

        await session.SendAsync(N("receipt", ("id", "MSG-A"), ("from", PeerLid), ("t", "2")));
        await session.SendAsync(N("receipt", ("id", "MSG-B"), ("from", PeerLid), ("t", "3")));
        var skipped = new List<Node>();
        var ack = await session.ExpectAsync(IsReceiptAck, skipped);
        Assert.Equal("MSG-B", ack.GetAttribute("id"));
        Assert.DoesNotContain(skipped, IsReceiptAck);
    }

    private static bool IsReceiptAck(Node node) => node.Tag == "ack" && node.GetAttribute("class") == "receipt";
}
