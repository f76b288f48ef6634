using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Emulator;
using Gateway.Tests.Support;

namespace Gateway.Tests.Web;

/// <summary>
/// The user's journey on WhatsApp Web, through the REST API, with the emulator as WhatsApp and its emulated
/// phones scanning the QR that the API serves.
/// </summary>
public sealed class WebTenantJourneyTests : IAsyncLifetime
{
    private EmulatorServer emulator = null!;
    private WebhookReceiver receiver = null!;
    private GatewayFactory factory = null!;
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        emulator = await EmulatorServer.StartAsync();
        receiver = await WebhookReceiver.StartAsync();
        factory = NewFactory(null);
        admin = factory.CreateClient(GatewayFactory.AdminKey);
    }

    public async Task DisposeAsync()
    {
        admin.Dispose();
        await factory.DisposeAsync();
        await receiver.DisposeAsync();
        await emulator.DisposeAsync();
    }

    [Fact]
    public async Task Scan_the_served_qr_connect_send_receive_and_survive_a_redeploy()
    {
        await LinkAsync("shop-a", "15550000001");
        await LinkAsync("shop-b", "15550000002");

        var status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/shop-a/status");
        Assert.True(status.GetProperty("connected").GetBoolean());
        Assert.Equal("15550000001", status.GetProperty("phoneNumber").GetString());
        Assert.EndsWith("@lid", status.GetProperty("lid").GetString(), StringComparison.Ordinal);

        var messageId = await SendTextAsync("shop-a", "+1 555 000 0002", "hello from a");
        await Eventually.HoldsAsync(() => receiver.Events("message").Any(e => e.GetProperty("tenantId").GetString() == "shop-b"));
        var inbound = receiver.Events("message").First(e => e.GetProperty("tenantId").GetString() == "shop-b").GetProperty("data");
        Assert.Equal(messageId, inbound.GetProperty("messageId").GetString());
        Assert.Equal("hello from a", inbound.GetProperty("text").GetString());
        Assert.EndsWith("@lid", inbound.GetProperty("fromLid").GetString(), StringComparison.Ordinal);
        await Eventually.HoldsAsync(async () => (await MessageStatusAsync("shop-a", messageId)) is "delivered" or "read");

        // A number nobody linked has no device to encrypt for: the send fails before its queued record could commit
        // with the Signal state, and the failure is recorded all the same.
        using (var refused = await admin.PostAsJsonAsync("/api/v1/messages/shop-a/send", new { to = "+1 555 000 0099", type = "text", message = "nobody" }))
        {
            var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("failed", body.GetProperty("status").GetString());
            var failedId = body.GetProperty("messageId").GetString()!;
            Assert.Equal("failed", await MessageStatusAsync("shop-a", failedId));
            await Eventually.HoldsAsync(() => receiver.Events("message.ack").Any(e =>
                e.GetProperty("data").GetProperty("messageId").GetString() == failedId && e.GetProperty("data").GetProperty("status").GetString() == "failed"));
        }

        // Redeploy: a new process on the same folder logs both tenants in without a QR and they talk again.
        var qrsBefore = receiver.Events("session.qr").Count();
        var sessionsDir = factory.SessionsDir;
        admin.Dispose();
        await factory.DisposeAsync();
        factory = NewFactory(sessionsDir);
        admin = factory.CreateClient(GatewayFactory.AdminKey);
        await Eventually.HoldsAsync(async () =>
        {
            var all = await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/sessions");
            return all!.Length == 2 && all.All(s => s.GetProperty("status").GetString() == "connected");
        });
        Assert.Equal(qrsBefore, receiver.Events("session.qr").Count());

        var reply = await SendTextAsync("shop-b", "15550000001", "hello back");
        await Eventually.HoldsAsync(() => receiver.Events("message").Any(e => e.GetProperty("data").GetProperty("messageId").GetString() == reply));

        // What the gateway logged along the way names no message text, whole phone number or key.
        var logs = string.Concat(Directory.GetFiles(Path.Combine(factory.SessionsDir, "logs")).Select(ReadShared));
        Assert.Contains("shop-a", logs, StringComparison.Ordinal);
        foreach (var secret in new[] { "hello from a", "hello back", "15550000001", "15550000002", GatewayFactory.AdminKey })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private GatewayFactory NewFactory(string? sessionsDir) => new(
        new Dictionary<string, string?>
        {
            ["WHATSAPP_WS_URL"] = emulator.WebSocketUrl.ToString(),
            ["WHATSAPP_ROOT_KEY"] = emulator.RootPublicKeyHex,
            ["GATEWAY_WEBHOOK_URL"] = receiver.Url.ToString(),
            ["GATEWAY_WEBHOOK_SECRET"] = "whsec_" + Convert.ToBase64String(new byte[32]),
            ["Gateway:Sessions:SendInterval"] = "00:00:00",
        },
        sessionsDir);

    private async Task LinkAsync(string tenantId, string phone)
    {
        using var started = await admin.PostAsync(new Uri($"/api/v1/sessions/{tenantId}/start", UriKind.Relative), null);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("qr", body.GetProperty("status").GetString());

        var json = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{tenantId}/qr?format=json");
        var text = json.GetProperty("qr").GetString()!;
        var png = await admin.GetByteArrayAsync(new Uri($"/api/v1/sessions/{tenantId}/qr?format=png", UriKind.Relative));
        Assert.Equal(text, await DecodeQrAsync(png));

        await emulator.Admin.ScanQrAsync(text, phone, CancellationToken.None);
        await Eventually.HoldsAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{tenantId}/status")).GetProperty("status").GetString() == "connected");
    }

    private async Task<string> SendTextAsync(string tenantId, string to, string text)
    {
        using var sent = await admin.PostAsJsonAsync($"/api/v1/messages/{tenantId}/send", new { to, type = "text", message = text });
        var body = await sent.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(sent.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("sent", body.GetProperty("status").GetString());
        return body.GetProperty("messageId").GetString()!;
    }

    private async Task<string?> MessageStatusAsync(string tenantId, string messageId) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/messages/{tenantId}/{messageId}")).GetProperty("status").GetString();

    /// <summary>Reads the PNG with zbarimg, a QR reader that knows nothing of our code.</summary>
    private static async Task<string> DecodeQrAsync(byte[] png)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("gateway-qr-").FullName, "qr.png");
        await File.WriteAllBytesAsync(path, png);
        var start = new ProcessStartInfo("zbarimg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--raw", "-q", path })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("zbarimg is not installed: run scripts/test-deps.sh");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.TrimEnd('\n');
    }
}
