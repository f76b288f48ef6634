extern alias emulator;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using emulator::Gateway.Emulator;
using Gateway.Tests.Cloud;
using Gateway.Tests.Support;

namespace Gateway.Tests.Web;

/// <summary>One send body, two providers: an app switches a tenant to the Cloud API without changing a line.</summary>
public sealed class SameSendBodyTests
{
    [Fact]
    public async Task The_same_body_sends_through_a_web_tenant_and_a_cloud_tenant()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var graph = await FakeGraphServer.StartAsync();
        await using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["WHATSAPP_WS_URL"] = emulator.WebSocketUrl.ToString(),
            ["WHATSAPP_ROOT_KEY"] = emulator.RootPublicKeyHex,
            ["GATEWAY_CLOUD_API_URL"] = graph.BaseUrl.ToString(),
        });
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);

        // Web tenant, linked by the emulated phone; its peer is another linked tenant.
        foreach (var (tenant, phone) in new[] { ("web-1", "15550000031"), ("peer", "15551234567") })
        {
            using var _ = await admin.PostAsync(new Uri($"/api/v1/sessions/{tenant}/start", UriKind.Relative), null);
            var qr = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{tenant}/qr?format=json")).GetProperty("qr").GetString()!;
            await emulator.Admin.ScanQrAsync(qr, phone, CancellationToken.None);
            await Eventually.HoldsAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{tenant}/status")).GetProperty("connected").GetBoolean());
        }

        using (var cloud = await admin.PostAsJsonAsync("/api/v1/sessions/cloud-1/start", new
        {
            provider = "cloud",
            cloud = new { phoneNumberId = "4242", accessToken = "EAAG-x", appSecret = "s", verifyToken = "v" },
        }))
        {
            Assert.Equal(HttpStatusCode.OK, cloud.StatusCode);
        }

        const string body = """{"to":"+1 555 123 4567","type":"text","message":"Your order shipped"}""";
        foreach (var tenant in new[] { "web-1", "cloud-1" })
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var sent = await admin.PostAsync(new Uri($"/api/v1/messages/{tenant}/send", UriKind.Relative), content);
            var answer = await sent.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(sent.StatusCode == HttpStatusCode.OK, answer.ToString());
            Assert.Equal("sent", answer.GetProperty("status").GetString());
        }

        Assert.Contains(graph.Requests, r => r.PathAndQuery == "/v21.0/4242/messages");
        Assert.True(emulator.Admin.ListDevices().Single(d => d.Jid.StartsWith("15550000031:", StringComparison.Ordinal)).Sent.Values.Sum() > 0);
    }
}
