using Gateway.Emulator;
using Gateway.Emulator.Admin;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Types;
using static Gateway.Emulator.Tests.BaileysDriver;

namespace Gateway.Client.Tests;

/// <summary>A message we cannot decrypt is asked for again, and stock Baileys answers the retry receipt.</summary>
public sealed class BaileysPeerRetryTests
{
    private const string OurPhone = "15550000401";
    private const string PeerPhone = "15550000402";

    [Fact]
    public async Task Tampered_message_gets_a_retry_receipt_and_the_baileys_resend_arrives_once()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var driver = await StartAsync(emulator);
        var paired = driver.PairAsync("s", PeerPhone);
        await using var ours = await TestClient.PairAsync(emulator, OurPhone);
        await paired;
        var to = OurPhone + "@s.whatsapp.net";

        // Baileys keeps sending pkmsg until we answer; tampering targets the MAC of a plain msg.
        var first = await driver.SendTextAsync("s", to, "session opener");
        await ours.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == first);
        var answer = await ours.Client.SendTextAsync(new Jid(PeerPhone, JidServer.User), "answer", CancellationToken.None);
        await driver.ReceivedAsync("s", answer);

        Assert.True(emulator.Admin.SetFaults(ours.Client.Device.ToString()!, new FaultSettings(CorruptMessages: 1)));
        var tampered = await driver.SendTextAsync("s", to, "arrives after a retry");
        var failed = await ours.Events.WaitForAsync<DecryptionFailedEvent>(e => e.MessageId == tampered);
        Assert.Equal(1, failed.RetryCount);
        var received = await ours.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == tampered);
        Assert.Equal("arrives after a retry", received.Message.Text);
        // Not the original stanza again: Baileys answers a retry by building a fresh session, so a pkmsg.
        Assert.True(received.Message.WasPreKeyMessage);

        // The resend must not be followed by a second copy, nor by more retries.
        var marker = await driver.SendTextAsync("s", to, "after");
        await ours.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == marker);
        Assert.Single(ours.Events.All<MessageReceivedEvent>(e => e.Message.Id == tampered));
        Assert.Single(ours.Events.All<DecryptionFailedEvent>());
        await driver.StatusAsync("s", tampered, BaileysPeer.DeliveryAck);
    }
}
