using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Providers;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Tests.Sessions;

/// <summary>The session layer's reconnect rules: back after a transient drop, never after 401, 440 or a QR timeout.</summary>
public sealed class WatchdogTests : IAsyncLifetime
{
    private readonly ScriptedProviderFactory providers = new();
    private WebhookReceiver receiver = null!;
    private GatewayFactory factory = null!;
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        receiver = await WebhookReceiver.StartAsync();
        factory = new GatewayFactory(
            new Dictionary<string, string?>
            {
                ["Gateway:Sessions:ReconnectBaseDelay"] = "00:00:00.050",
                ["Gateway:Sessions:ReconnectMaxDelay"] = "00:00:00.200",
                ["GATEWAY_WEBHOOK_URL"] = receiver.Url.ToString(),
                ["GATEWAY_WEBHOOK_SECRET"] = "whsec_" + Convert.ToBase64String(new byte[32]),
            },
            services: s => s.Replace(ServiceDescriptor.Singleton<IProviderFactory>(providers)));
        admin = factory.CreateClient(GatewayFactory.AdminKey);
    }

    public async Task DisposeAsync()
    {
        admin.Dispose();
        await factory.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Theory]
    [InlineData(408)]
    [InlineData(428)]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(515)]
    public async Task A_transient_drop_reconnects_within_the_backoff_bound(int code)
    {
        await StartAsync();

        await providers.Latest.DropAsync(code);

        await Eventually.HoldsAsync(() => providers.Starts == 2);
        await Eventually.HoldsAsync(async () => await StatusAsync() == "connected");
        var statuses = await StatusEventsAsync(7);
        Assert.Equal(["reconnecting", "starting", "connecting", "connected"], statuses[^4..]);
        var status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/shop-1/status");
        Assert.Equal(code, status.GetProperty("lastDisconnect").GetProperty("code").GetInt32());

        var metrics = await admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("gateway_reconnects_total 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_sessions{status=\"connected\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_webhook_deliveries_total{result=\"delivered\"}", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, "logged_out")]
    [InlineData(403, "logged_out")]
    [InlineData(440, "replaced")]
    public async Task A_final_disconnect_stops_for_good(int code, string expected)
    {
        await StartAsync();

        await providers.Latest.DropAsync(code);
        await Eventually.HoldsAsync(async () => await StatusAsync() == expected);
        await Task.Delay(500); // ten times the base backoff: a reconnect loop would have started by now

        Assert.Equal(1, providers.Starts);
        await Eventually.HoldsAsync(() => receiver.Events("session.status").Any(e => e.GetProperty("data").GetProperty("status").GetString() == expected));
    }

    [Fact]
    public async Task An_unscanned_qr_ends_in_qr_timeout_until_the_next_start()
    {
        providers.ShowQr = true;
        using var started = await admin.PostAsync(new Uri("/api/v1/sessions/shop-1/start", UriKind.Relative), null);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("qr", body.GetProperty("status").GetString());
        Assert.StartsWith("data:image/png;base64,", body.GetProperty("qrCode").GetString(), StringComparison.Ordinal);

        await providers.Latest.QrTimeoutAsync();
        await Eventually.HoldsAsync(async () => await StatusAsync() == "qr_timeout");
        await Task.Delay(300);
        Assert.Equal(1, providers.Starts);

        using var again = await admin.PostAsync(new Uri("/api/v1/sessions/shop-1/start", UriKind.Relative), null);
        Assert.Equal(2, providers.Starts);
        await Eventually.HoldsAsync(() => receiver.Events("session.qr").Count() >= 2);
    }

    [Fact]
    public async Task A_stopped_tenant_stays_stopped_and_listed_after_a_restart()
    {
        await StartAsync();
        using (await admin.PostAsync(new Uri("/api/v1/sessions/shop-1/stop", UriKind.Relative), null))
        {
        }

        var sessionsDir = factory.SessionsDir;
        admin.Dispose();
        await factory.DisposeAsync();
        factory = new GatewayFactory(sessionsDir: sessionsDir, services: s => s.Replace(ServiceDescriptor.Singleton<IProviderFactory>(providers)));
        admin = factory.CreateClient(GatewayFactory.AdminKey);

        await Eventually.HoldsAsync(async () => (await admin.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode);
        Assert.Equal("stopped", await StatusAsync());
        Assert.Equal(1, providers.Starts);
    }

    [Fact]
    public async Task Status_changes_reach_the_sse_stream()
    {
        await StartAsync();
        using var client = factory.CreateClient(GatewayFactory.AdminKey);
        using var stream = await client.GetStreamAsync(new Uri("/api/v1/sessions/shop-1/events", UriKind.Relative));
        using var reader = new StreamReader(stream);

        var first = await ReadEventAsync(reader);
        Assert.Equal("session.status", first.Event);
        Assert.Equal("connected", JsonDocument.Parse(first.Data).RootElement.GetProperty("status").GetString());

        await providers.Latest.DropAsync(440);
        var next = await ReadEventAsync(reader);
        Assert.Equal("replaced", JsonDocument.Parse(next.Data).RootElement.GetProperty("status").GetString());
    }

    private static async Task<(string Event, string Data)> ReadEventAsync(StreamReader reader)
    {
        string? name = null;
        string? data = null;
        using var timeout = new CancellationTokenSource(Eventually.Patience);
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.Length == 0 && name is not null && data is not null)
            {
                return (name, data);
            }
        }

        throw new InvalidOperationException("the event stream ended");
    }

    private async Task StartAsync()
    {
        using var started = await admin.PostAsync(new Uri("/api/v1/sessions/shop-1/start", UriKind.Relative), null);
        Assert.Equal("connected", (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    private async Task<string?> StatusAsync() =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/shop-1/status")).GetProperty("status").GetString();

    private async Task<string[]> StatusEventsAsync(int atLeast)
    {
        await Eventually.HoldsAsync(() => receiver.Events("session.status").Count() >= atLeast);
        return [.. receiver.Events("session.status").Select(e => e.GetProperty("data").GetProperty("status").GetString()!)];
    }
}
