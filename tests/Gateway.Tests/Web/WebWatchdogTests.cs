extern alias emulator;

using System.Net.Http.Json;
using System.Text.Json;
using emulator::Gateway.Emulator;
using emulator::Gateway.Emulator.Admin;
using Gateway.Tests.Support;

namespace Gateway.Tests.Web;

/// <summary>The watchdog against faults the emulator injects into a real connection.</summary>
public sealed class WebWatchdogTests : IAsyncLifetime
{
    private EmulatorServer emulator = null!;
    private WebhookReceiver receiver = null!;
    private GatewayFactory factory = null!;
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        emulator = await EmulatorServer.StartAsync();
        receiver = await WebhookReceiver.StartAsync();
        factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["WHATSAPP_WS_URL"] = emulator.WebSocketUrl.ToString(),
            ["WHATSAPP_ROOT_KEY"] = emulator.RootPublicKeyHex,
            ["GATEWAY_WEBHOOK_URL"] = receiver.Url.ToString(),
            ["GATEWAY_WEBHOOK_SECRET"] = "whsec_" + Convert.ToBase64String(new byte[32]),
            ["Gateway:Sessions:ReconnectBaseDelay"] = "00:00:00.100",
            ["Gateway:Sessions:ReconnectMaxDelay"] = "00:00:00.400",
            ["Gateway:Web:KeepAliveInterval"] = "00:00:00.400",
            ["Gateway:Web:KeepAliveGrace"] = "00:00:00.400",
            ["Gateway:Web:MaxQrCodes"] = "2",
            ["Gateway:Web:FirstQrLifetime"] = "00:00:00.500",
            ["Gateway:Web:NextQrLifetime"] = "00:00:00.300",
        });
        admin = factory.CreateClient(GatewayFactory.AdminKey);
    }

    public async Task DisposeAsync()
    {
        admin.Dispose();
        await factory.DisposeAsync();
        await receiver.DisposeAsync();
        await emulator.DisposeAsync();
    }

    [Theory]
    [InlineData("drop")]
    [InlineData("503")]
    [InlineData("stall")]
    public async Task A_transient_fault_is_survived_by_a_reconnect(string fault)
    {
        var device = await LinkAsync("shop-a", "15550000011");

        switch (fault)
        {
            case "drop":
                Assert.True(emulator.Admin.DropConnection(device));
                break;
            case "503":
                Assert.True(emulator.Admin.SendStreamError(device, 503));
                break;
            case "stall":
                // The socket stays open but nothing answers: only the keepalive can tell.
                Assert.True(emulator.Admin.SetFaults(device, new FaultSettings(IgnorePings: true)));
                break;
        }

        await Eventually.HoldsAsync(() => StatusEvents("shop-a").Contains("reconnecting"));
        if (fault == "stall")
        {
            emulator.Admin.SetFaults(device, new FaultSettings(IgnorePings: false));
        }

        await Eventually.HoldsAsync(async () => await StatusAsync("shop-a") == "connected" && StatusEvents("shop-a").Count(s => s == "connected") >= 2);
        using var sent = await admin.PostAsJsonAsync("/api/v1/messages/shop-a/send", new { to = "15550000011", message = "still here" });
        Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(401, "logged_out")]
    [InlineData(440, "replaced")]
    public async Task A_final_code_ends_the_session_without_a_reconnect_loop(int code, string expected)
    {
        var device = await LinkAsync("shop-a", "15550000012");

        Assert.True(emulator.Admin.SendStreamError(device, code));

        await Eventually.HoldsAsync(async () => await StatusAsync("shop-a") == expected);
        await Task.Delay(1500);
        Assert.Equal(expected, await StatusAsync("shop-a"));
        Assert.False(emulator.Admin.GetDevice(device)!.Connected);
        Assert.Equal(1, StatusEvents("shop-a").Count(s => s == "connected"));
        var status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/shop-a/status");
        Assert.Equal(code, status.GetProperty("lastDisconnect").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task An_unscanned_qr_stops_at_qr_timeout()
    {
        using var started = await admin.PostAsync(new Uri("/api/v1/sessions/shop-q/start", UriKind.Relative), null);

        await Eventually.HoldsAsync(async () => await StatusAsync("shop-q") == "qr_timeout");
        var qrs = receiver.Events("session.qr").Count(e => e.GetProperty("tenantId").GetString() == "shop-q");
        await Task.Delay(1000);
        Assert.Equal("qr_timeout", await StatusAsync("shop-q"));
        Assert.InRange(qrs, 1, 2);
        Assert.Equal(qrs, receiver.Events("session.qr").Count(e => e.GetProperty("tenantId").GetString() == "shop-q"));
    }

    private async Task<string> LinkAsync(string tenantId, string phone)
    {
        using var started = await admin.PostAsync(new Uri($"/api/v1/sessions/{tenantId}/start", UriKind.Relative), null);
        var qr = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{tenantId}/qr?format=json")).GetProperty("qr").GetString()!;
        await emulator.Admin.ScanQrAsync(qr, phone, CancellationToken.None);
        await Eventually.HoldsAsync(async () => await StatusAsync(tenantId) == "connected");
        return emulator.Admin.ListDevices().Single(d => d.Jid.StartsWith(phone + ":", StringComparison.Ordinal)).Jid;
    }

    private async Task<string?> StatusAsync(string tenantId) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{tenantId}/status")).GetProperty("status").GetString();

    private List<string> StatusEvents(string tenantId) =>
        [.. receiver.Events("session.status")
            .Where(e => e.GetProperty("tenantId").GetString() == tenantId)
            .Select(e => e.GetProperty("data").GetProperty("status").GetString()!)];
}
