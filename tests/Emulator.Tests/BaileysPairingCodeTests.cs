using static Gateway.Emulator.Tests.BaileysDriver;

namespace Gateway.Emulator.Tests;

/// <summary>Pairing by code: Baileys' requestPairingCode against the emulated phone's half of the exchange.</summary>
public sealed class BaileysPairingCodeTests
{
    [Fact]
    public async Task A_client_pairs_by_pairing_code_and_opens()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var driver = await StartAsync(emulator);

        var code = await driver.StartClientAsync("p", pairingPhone: "15550009");
        Assert.Matches("^[1-9A-HJ-NP-TV-Z]{8}$", code);
        var paired = await emulator.Admin.SubmitPairingCodeAsync("15550009", code, CancellationToken.None);
        var opened = await driver.WaitForAsync(e => Is(e, "open", "p"));

        Assert.Equal(paired.Jid, opened.GetProperty("me").GetString());
        Assert.Equal(paired.Lid, opened.GetProperty("lid").GetString());
    }

    [Fact]
    public async Task A_wrong_pairing_code_links_nothing()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var driver = await StartAsync(emulator);

        var code = await driver.StartClientAsync("w", pairingPhone: "15550010");
        var wrong = code[0] == 'A' ? "B" + code[1..] : "A" + code[1..];

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => emulator.Admin.SubmitPairingCodeAsync("15550010", wrong, CancellationToken.None));
        Assert.Empty(emulator.Admin.ListDevices());
        Assert.Empty(driver.Events(e => Is(e, "open", "w")));
    }
}
