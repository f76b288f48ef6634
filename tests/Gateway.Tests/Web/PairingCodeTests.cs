using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Emulator;
using Gateway.Tests.Support;

namespace Gateway.Tests.Web;

/// <summary>Linking by the 8-character code typed on the phone instead of a QR.</summary>
public sealed class PairingCodeTests
{
    [Fact]
    public async Task A_tenant_links_by_pairing_code()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["WHATSAPP_WS_URL"] = emulator.WebSocketUrl.ToString(),
            ["WHATSAPP_ROOT_KEY"] = emulator.RootPublicKeyHex,
        });
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);

        using var bad = await admin.PostAsJsonAsync("/api/v1/sessions/shop-c/pairing-code", new { phoneNumber = "12ab" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        using var response = await admin.PostAsJsonAsync("/api/v1/sessions/shop-c/pairing-code", new { phoneNumber = "+1 555 000 0051" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var code = body.GetProperty("code").GetString()!;
        Assert.Matches("^[1-9A-HJ-NP-TV-Z]{8}$", code);
        await Eventually.HoldsAsync(async () => (await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/shop-c/status")).GetProperty("status").GetString() == "pairing_code");

        await emulator.Admin.SubmitPairingCodeAsync("15550000051", code, CancellationToken.None);

        await Eventually.HoldsAsync(async () => (await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/shop-c/status")).GetProperty("status").GetString() == "connected");
        var status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/shop-c/status");
        Assert.Equal("15550000051", status.GetProperty("phoneNumber").GetString());
    }
}
