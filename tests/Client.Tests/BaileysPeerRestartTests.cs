using Gateway.Emulator;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Types;
using static Gateway.Emulator.Tests.BaileysDriver;

namespace Gateway.Client.Tests;

/// <summary>A restart from saved state keeps the account and the Signal session with a stock Baileys peer.</summary>
public sealed class BaileysPeerRestartTests
{
    private const string OurPhone = "15550000201";
    private const string PeerPhone = "15550000202";
    private static readonly Jid PeerJid = new(PeerPhone, JidServer.User);

    [Fact]
    public async Task Client_rebuilt_from_its_stores_logs_in_without_qr_and_continues_the_session_with_plain_msg()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var driver = await StartAsync(emulator);
        var paired = driver.PairAsync("p", PeerPhone);
        var first = await TestClient.PairAsync(emulator, OurPhone);
        await paired;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // Our first message opens the session (pkmsg); Baileys' answer makes it two-way, so from then on a
        // continuing session sends plain msg.
        var opening = await first.Client.SendTextAsync(PeerJid, "opening", timeout.Token);
        Assert.Equal(["pkmsg"], BaileysPeer.EncTypes(await driver.ReceivedAsync("p", opening)));
        var answer = await driver.SendTextAsync("p", OurPhone + "@s.whatsapp.net", "answer");
        await first.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == answer);
        var device = first.Client.Device;
        var stores = first.Stores;
        await first.DisposeAsync();

        await using var restarted = TestClient.Create(emulator, stores);
        Assert.Equal(ConnectOutcome.LoggedIn, await restarted.Client.ConnectAsync(timeout.Token));
        Assert.Equal(device, (await restarted.Events.WaitForAsync<ConnectedEvent>()).Device);
        Assert.Empty(restarted.Events.All<QrCodeEvent>());

        var afterRestart = await restarted.Client.SendTextAsync(PeerJid, "after restart", timeout.Token);
        var atPeer = await driver.ReceivedAsync("p", afterRestart);
        Assert.Equal("after restart", atPeer.GetProperty("text").GetString());
        Assert.Equal(["msg"], BaileysPeer.EncTypes(atPeer));

        var back = await driver.SendTextAsync("p", OurPhone + "@s.whatsapp.net", "still there");
        var atUs = (await restarted.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == back)).Message;
        Assert.Equal(("still there", false), (atUs.Text, atUs.WasPreKeyMessage));
    }
}
