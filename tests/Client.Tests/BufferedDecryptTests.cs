using Gateway.Emulator;
using Gateway.Emulator.Tests;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Types;

namespace Gateway.Client.Tests;

/// <summary>
/// The durability contract on a real tenant store: a message whose decrypt committed but which was never
/// acknowledged (the process died first) comes again from the server, is answered from the inbound buffer without a
/// second decrypt, reaches the handler again and gets a normal receipt, never a retry receipt.
/// </summary>
public sealed class BufferedDecryptTests : IAsyncLifetime
{
    private const string OursPhone = "15550000401";
    private const string PeerPhone = "15550000402";
    private readonly TempTenantStore tenant = new("ours");
    private EmulatorServer emulator = null!;
    private TestClient peer = null!;

    public async Task InitializeAsync()
    {
        emulator = await EmulatorServer.StartAsync();
        peer = await TestClient.PairAsync(emulator, PeerPhone);
    }

    public async Task DisposeAsync()
    {
        await peer.DisposeAsync();
        tenant.Dispose();
        await emulator.DisposeAsync();
    }

    [Fact]
    public async Task A_message_committed_but_not_acknowledged_before_a_restart_comes_again_from_the_buffer()
    {
        var handled = new List<(string Id, string? Text)>();
        var crashOnce = 1;
        Task Handle(ReceivedMessage message, CancellationToken token)
        {
            lock (handled)
            {
                handled.Add((message.Id, message.Text));
            }

            // The first time the process "dies" here: after its commit, before the receipt and ack.
            return Interlocked.Exchange(ref crashOnce, 0) == 1 ? throw new IOException("killed") : Task.CompletedTask;
        }

        var ours = await TestClient.PairAsync(emulator, OursPhone, o => o with { MessageHandler = Handle }, tenant.ClientStores());
        var oursDevice = ours.Client.Device.ToString()!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var id = await peer.Client.SendTextAsync(new Jid(OursPhone, JidServer.User), "survives the crash", timeout.Token);
        Assert.True(await Eventually.TrueAsync(() => HandledCount(handled) == 1));
        Assert.Equal(1, emulator.Admin.GetDevice(oursDevice)!.PendingStanzas); // never acknowledged
        Assert.Equal(1L, Buffered());

        // A new process over the same files: the server delivers the message again.
        await ours.DisposeAsync();
        ours = TestClient.Create(emulator, tenant.ClientStores(), o => o with { MessageHandler = Handle });
        await ours.Client.ConnectAsync(timeout.Token);
        var received = await ours.Events.WaitForAsync<MessageReceivedEvent>();

        Assert.Equal((id, "survives the crash"), (received.Message.Id, received.Message.Text));
        lock (handled)
        {
            Assert.Equal([(id, "survives the crash"), (id, "survives the crash")], handled);
        }

        Assert.True(await Eventually.TrueAsync(() => emulator.Admin.GetDevice(oursDevice)!.PendingStanzas == 0));
        Assert.Equal(0, emulator.Admin.GetDevice(oursDevice)!.Sent.GetValueOrDefault("receipt:retry"));
        Assert.Empty(ours.Events.All<DecryptionFailedEvent>());
        Assert.Single(ours.Events.All<MessageReceivedEvent>());

        // Acknowledged, it leaves the buffer (with the next decrypt, or when the connection ends).
        await ours.DisposeAsync();
        Assert.Equal(0L, Buffered());
    }

    private static int HandledCount(List<(string, string?)> handled)
    {
        lock (handled)
        {
            return handled.Count;
        }
    }

    private long Buffered() => (long)tenant.Store.Read(connection => connection.Scalar("SELECT count(*) FROM inbound_buffer"))!;
}
