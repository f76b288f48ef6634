using System.Text.Json.Nodes;
using static Gateway.Emulator.Tests.BaileysDriver;

namespace Gateway.Emulator.Tests;

/// <summary>Messages for an offline device wait in the emulator and arrive, oldest first, when it reconnects.</summary>
public sealed class BaileysOfflineTests
{
    [Fact]
    public async Task An_offline_client_receives_the_queued_messages_when_it_reconnects()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var driver = await StartAsync(emulator);
        await Task.WhenAll(driver.PairAsync("a", "15550021"), driver.PairAsync("b", "15550022"));
        const string b = "15550022:1@s.whatsapp.net";

        await driver.SendAsync(new JsonObject { ["cmd"] = "close", ["name"] = "b" });
        Assert.True(await Eventually.TrueAsync(() => !emulator.Admin.GetDevice(b)!.Connected));

        var first = await driver.SendTextAsync("a", "15550022@s.whatsapp.net", "first while away");
        var second = await driver.SendTextAsync("a", "15550022@s.whatsapp.net", "second while away");
        Assert.True(await Eventually.TrueAsync(() => emulator.Admin.GetDevice(b)!.PendingStanzas == 2));
        Assert.Empty(driver.Events(e => Is(e, "message", "b") && e.GetProperty("id").GetString() == first));

        await driver.SendAsync(new JsonObject { ["cmd"] = "reconnect", ["name"] = "b" });
        var gotFirst = await driver.ReceivedAsync("b", first);
        var gotSecond = await driver.ReceivedAsync("b", second);

        Assert.Equal("first while away", gotFirst.GetProperty("text").GetString());
        Assert.Equal("second while away", gotSecond.GetProperty("text").GetString());
        var order = driver.Events(e => Is(e, "message", "b") && !e.GetProperty("fromMe").GetBoolean())
            .Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.True(order.IndexOf(first) < order.IndexOf(second));
        // The device acked both after decrypting them: nothing is left to redeliver.
        Assert.True(await Eventually.TrueAsync(() => emulator.Admin.GetDevice(b)!.PendingStanzas == 0));
    }
}
