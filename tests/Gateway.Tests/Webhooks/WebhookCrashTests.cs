using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Gateway.Providers.Cloud;
using Gateway.Tests.Cloud;
using Gateway.Tests.Support;

namespace Gateway.Tests.Webhooks;

/// <summary>The outbox across a SIGKILL: every event committed before the kill arrives after the restart, in order.</summary>
public sealed class WebhookCrashTests
{
    private const string AdminKey = "crash-admin-key-0123456789";

    [Fact]
    public async Task A_backlog_survives_sigkill_and_arrives_in_order_once_the_receiver_is_back()
    {
        await using var graph = await FakeGraphServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 503;
        var sessionsDir = Directory.CreateTempSubdirectory("gateway-crash-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["GATEWAY_API_KEY"] = AdminKey,
            ["GATEWAY_SESSIONS_DIR"] = sessionsDir,
            ["GATEWAY_LOGS_DIR"] = sessionsDir + "-logs",
            ["GATEWAY_CLOUD_API_URL"] = graph.BaseUrl.ToString(),
            ["GATEWAY_WEBHOOK_URL"] = receiver.Url.ToString(),
            ["GATEWAY_WEBHOOK_SECRET"] = "whsec_" + Convert.ToBase64String(new byte[32]),
        };
        const int Messages = 40;

        await using (var daemon = await DaemonProcess.StartAsync(environment))
        {
            using var http = new HttpClient { BaseAddress = daemon.Url };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            using var started = await http.PostAsJsonAsync("api/v1/sessions/shop-1/start", new
            {
                provider = "cloud",
                cloud = new { phoneNumberId = "777", accessToken = "EAAG-x", appSecret = "app-secret", verifyToken = "v" },
            });
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);

            for (var n = 0; n < Messages; n++)
            {
                var payload = Inbound($"wamid.N{n:D3}", $"message {n}");
                using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/cloud") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
                request.Headers.Add("X-Hub-Signature-256", CloudSignature.Compute("app-secret", Encoding.UTF8.GetBytes(payload)));
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode); // durable in the outbox before this 200
            }

            await Eventually.HoldsAsync(() => receiver.Deliveries.Count > 0); // the dispatcher is retrying
            await daemon.KillAsync();
        }

        Assert.Empty(receiver.Events("message"));
        receiver.Status = 200;
        await using (var daemon = await DaemonProcess.StartAsync(environment))
        {
            await Eventually.HoldsAsync(() => receiver.Events("message").Select(e => e.GetProperty("data").GetProperty("messageId").GetString()).Distinct().Count() == Messages);
        }

        var order = receiver.Events("message").Select(e => e.GetProperty("data").GetProperty("messageId").GetString()!).ToArray();
        var firsts = order.Distinct().ToArray();
        Assert.Equal(Enumerable.Range(0, Messages).Select(n => $"wamid.N{n:D3}"), firsts);
        Assert.True(order.SequenceEqual(firsts), "an event arrived again after the one behind it");
    }

    private static string Inbound(string id, string text) => $$$"""
        {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"777"},
          "contacts":[{"profile":{"name":"Ann"},"wa_id":"16505551234"}],
          "messages":[{"from":"16505551234","id":"{{{id}}}","timestamp":"1749416383","type":"text","text":{"body":"{{{text}}}"}}]}}]}]}
        """;
}
