using System.Text.Json.Nodes;
using static Gateway.Emulator.Tests.BaileysDriver;

namespace Gateway.Emulator.Tests;

/// <summary>Injected stream errors reach Baileys as the same close codes.</summary>
public sealed class BaileysFaultTests
{
    [Fact]
    public async Task Injected_440_and_401_arrive_at_baileys_as_those_close_codes()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var driver = await StartAsync(emulator);
        await driver.PairAsync("f", "15550031");
        const string device = "15550031:1@s.whatsapp.net";

        Assert.True(emulator.Admin.SendStreamError(device, 440));
        await driver.WaitForAsync(e => Is(e, "connection", "f") && e.GetProperty("statusCode").GetInt32() == 440);

        await driver.SendAsync(new JsonObject { ["cmd"] = "reconnect", ["name"] = "f" });
        Assert.True(await Eventually.TrueAsync(() => driver.Events(e => Is(e, "open", "f")).Count == 2));

        Assert.True(emulator.Admin.SendStreamError(device, 401));
        await driver.WaitForAsync(e => Is(e, "connection", "f") && e.GetProperty("statusCode").GetInt32() == 401);
    }

    [Fact]
    public async Task A_removed_device_is_logged_out_and_its_next_login_fails_with_401()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var driver = await StartAsync(emulator);
        await driver.PairAsync("r", "15550032");

        Assert.True(emulator.Admin.RemoveDevice("15550032:1@s.whatsapp.net"));
        await driver.WaitForAsync(e => Is(e, "connection", "r") && e.GetProperty("statusCode").GetInt32() == 401);

        await driver.SendAsync(new JsonObject { ["cmd"] = "reconnect", ["name"] = "r" });
        Assert.True(await Eventually.TrueAsync(() =>
            driver.Events(e => Is(e, "connection", "r") && e.GetProperty("statusCode").GetInt32() == 401).Count == 2));
        Assert.Single(driver.Events(e => Is(e, "open", "r")));
    }

    [Fact]
    public async Task Unanswered_pings_make_baileys_give_up_with_408()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var driver = await StartAsync(emulator);
        await driver.PairAsync("k", "15550033", keepAliveMs: 500);
        Assert.True(emulator.Admin.SetFaults("15550033:1@s.whatsapp.net", new Admin.FaultSettings(IgnorePings: true)));

        await driver.WaitForAsync(e => Is(e, "connection", "k") && e.GetProperty("statusCode").GetInt32() == 408);
        Assert.True(emulator.Admin.GetDevice("15550033:1@s.whatsapp.net")!.Sent["iq"] > 0);
    }
}
