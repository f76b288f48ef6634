using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Emulator;
using Gateway.Tests.Support;

namespace Gateway.Tests.Web;

/// <summary>
/// Idle tenants close their store's database engine to give its memory back. What a user sees must not change:
/// a tenant whose store has gone idle sends, receives and reports statuses as before, and nothing is lost.
/// </summary>
public sealed class IdleStoreTests
{
    [Fact]
    public async Task Tenants_whose_stores_went_idle_send_and_receive_as_before()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["WHATSAPP_WS_URL"] = emulator.WebSocketUrl.ToString(),
            ["WHATSAPP_ROOT_KEY"] = emulator.RootPublicKeyHex,
            ["GATEWAY_WEBHOOK_URL"] = receiver.Url.ToString(),
            ["GATEWAY_WEBHOOK_SECRET"] = "whsec_" + Convert.ToBase64String(new byte[32]),
            ["Gateway:Sessions:SendInterval"] = "00:00:00",
            ["Gateway:Sessions:StoreIdleClose"] = "00:00:01",
            ["Gateway:Sessions:MemoryTrimInterval"] = "00:00:01",
        });
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);
        await Tenants.LinkAsync(admin, emulator, "idle-a", "15550000071");
        await Tenants.LinkAsync(admin, emulator, "idle-b", "15550000072");

        for (var round = 0; round < 2; round++)
        {
            // Both stores closed: the send below opens the sender's, the inbound message the receiver's.
            await Eventually.HoldsAsync(async () => await MetricAsync(admin, "gateway_store_engines_open") == 0);
            var commits = await MetricAsync(admin, "gateway_store_commits_total");

            var text = $"after idle {round}";
            using var sent = await admin.PostAsJsonAsync("/api/v1/messages/idle-a/send", new { to = "+1 555 000 0072", type = "text", message = text });
            var answer = await sent.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(sent.StatusCode == HttpStatusCode.OK, answer.ToString());
            var messageId = answer.GetProperty("messageId").GetString();

            await Eventually.HoldsAsync(() => receiver.Events("message").Any(e =>
                e.GetProperty("tenantId").GetString() == "idle-b" && e.GetProperty("data").GetProperty("text").GetString() == text));
            await Eventually.HoldsAsync(async () =>
                (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/messages/idle-a/{messageId}")).GetProperty("status").GetString() is "delivered" or "read");
            // The store work of a message shows in /metrics: the send, the inbound message and the statuses committed.
            Assert.True(await MetricAsync(admin, "gateway_store_commits_total") >= commits + 3);
        }

        Assert.Equal(2, receiver.Events("message").Count(e => e.GetProperty("tenantId").GetString() == "idle-b"));
    }

    private static async Task<double> MetricAsync(HttpClient admin, string name)
    {
        var metrics = await admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var line = metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
