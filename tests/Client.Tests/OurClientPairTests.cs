using Gateway.Emulator;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Types;

namespace Gateway.Client.Tests;

/// <summary>Two of our clients through the emulator: QR pairing, login, text both ways, receipts as statuses.</summary>
public sealed class OurClientPairTests
{
    [Fact]
    public async Task Two_clients_pair_by_qr_and_exchange_text_with_delivery_and_read_statuses()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var alice = await PairAsync(emulator, "15550000001", timeout.Token);
        await using var bob = await PairAsync(emulator, "15550000002", timeout.Token);

        var id = await alice.SendTextAsync(new Jid("15550000002", JidServer.User), "hello bob", timeout.Token);
        var received = await NextAsync<MessageReceivedEvent>(bob, e => e.Message.Id == id, timeout.Token);
        Assert.Equal("hello bob", received.Message.Text);
        // The emulator addresses by LID and sends no sender_pn, so the sender is known by its LID.
        Assert.Equal(Jid.Parse(emulator.Admin.FindLid("15550000001")!).User, received.Message.Sender.User);
        Assert.Equal(MessageStatus.Delivered, (await NextAsync<MessageStatusEvent>(alice, e => e.MessageId == id && e.Status >= MessageStatus.Delivered, timeout.Token)).Status);

        await bob.SendReadReceiptAsync(received.Message.Chat, [id], timeout.Token);
        await NextAsync<MessageStatusEvent>(alice, e => e.MessageId == id && e.Status == MessageStatus.Read, timeout.Token);

        var reply = await bob.SendTextAsync(new Jid("15550000001", JidServer.User), "hi alice", timeout.Token, new QuotedMessage(id, received.Message.Sender));
        var back = await NextAsync<MessageReceivedEvent>(alice, e => e.Message.Id == reply, timeout.Token);
        Assert.Equal(("hi alice", id), (back.Message.Text, back.Message.QuotedMessageId));
    }

    private static async Task<WaClient> PairAsync(EmulatorServer emulator, string phone, CancellationToken cancellationToken)
    {
        var client = new WaClient(
            new WaClientOptions
            {
                WebSocketUrl = emulator.WebSocketUrl,
                RootPublicKey = Convert.FromHexString(emulator.RootPublicKeyHex),
                InitialPreKeyCount = 30,
            },
            WaClientStores.InMemory());
        Assert.Equal(ConnectOutcome.AwaitingPairing, await client.ConnectAsync(cancellationToken));
        var qr = await NextAsync<QrCodeEvent>(client, _ => true, cancellationToken);
        await emulator.Admin.ScanQrAsync(qr.Text, phone, cancellationToken);
        await NextAsync<ConnectedEvent>(client, _ => true, cancellationToken);
        return client;
    }

    private static async Task<T> NextAsync<T>(WaClient client, Func<T, bool> match, CancellationToken cancellationToken)
        where T : WaEvent
    {
        while (true)
        {
            var next = await client.Events.ReadAsync(cancellationToken);
            if (next is T typed && match(typed))
            {
                return typed;
            }

            if (next is DisconnectedEvent disconnected)
            {
                throw new InvalidOperationException($"disconnected: {disconnected.Reason}");
            }
        }
    }
}
