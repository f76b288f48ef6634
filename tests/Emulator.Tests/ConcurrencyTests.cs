using Gateway.WebProtocol.Binary;
using static Gateway.Emulator.Tests.TestNodes;

namespace Gateway.Emulator.Tests;

/// <summary>Many accounts pairing, logging in and messaging at the same time.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Sixteen_accounts_pair_log_in_and_message_each_other_concurrently()
    {
        const int count = 16;
        await using var emulator = await EmulatorServer.StartAsync();
        var sessions = await Task.WhenAll(Enumerable.Range(0, count).Select(i => PairAndLoginAsync(emulator, $"1555600{i:D2}")));
        try
        {
            Assert.Equal(count, emulator.OpenConnections);
            await Task.WhenAll(sessions.Select((s, i) =>
            {
                var next = sessions[(i + 1) % count].Device;
                return s.Companion.SendAsync(N("message", [("id", $"C{i}"), ("to", $"1555600{(i + 1) % count:D2}@s.whatsapp.net"), ("type", "text")],
                    N("participants", null, N("to", [("jid", next.Jid)], new Node("enc", new NodeAttributes { ["v"] = "2", ["type"] = "msg" }, [(byte)i])))));
            }));

            var received = await Task.WhenAll(sessions.Select(s => s.Companion.ReceiveAsync(n => n.Tag == "message")));
            for (var i = 0; i < count; i++)
            {
                var from = (i + count - 1) % count;
                Assert.Equal($"C{from}", received[i].GetAttribute("id"));
                Assert.Equal(sessions[from].Device.Jid, received[i].GetAttribute("from"));
                Assert.Equal(new[] { (byte)from }, received[i].GetRequiredChild("enc").Bytes);
            }

            Assert.Equal(count, emulator.Admin.ListDevices().Count(d => d.Connected));
        }
        finally
        {
            foreach (var (companion, _) in sessions)
            {
                await companion.DisposeAsync();
            }
        }
    }
}
