using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Providers.Cloud;
using Gateway.Tests.Support;
using Gateway.Webhooks;

namespace Gateway.Tests.Cloud;

/// <summary>A tenant on the Cloud API driven through the REST API, with a fake Graph server and a real webhook receiver.</summary>
public sealed class CloudTenantJourneyTests : IAsyncLifetime
{
    private const string PhoneNumberId = "106540352242922";
    private const string AppSecret = "app-secret-1";
    private FakeGraphServer graph = null!;
    private WebhookReceiver receiver = null!;
    private GatewayFactory factory = null!;
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        graph = await FakeGraphServer.StartAsync();
        receiver = await WebhookReceiver.StartAsync();
        factory = NewFactory(null);
        admin = factory.CreateClient(GatewayFactory.AdminKey);
    }

    public async Task DisposeAsync()
    {
        admin.Dispose();
        await factory.DisposeAsync();
        await receiver.DisposeAsync();
        await graph.DisposeAsync();
    }

    [Fact]
    public async Task A_cloud_tenant_connects_sends_and_reports_signed_events()
    {
        var secret = await StartCloudTenantAsync("shop-1");

        var status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/shop-1/status");
        Assert.Equal("connected", status.GetProperty("status").GetString());
        Assert.Equal("15550001111", status.GetProperty("phoneNumber").GetString());

        using var sent = await admin.PostAsJsonAsync("/api/v1/messages/shop-1/send", new { to = "+1 555 123 4567", type = "text", message = "hello" });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var body = await sent.Content.ReadFromJsonAsync<JsonElement>();
        var messageId = body.GetProperty("messageId").GetString()!;
        Assert.Equal("sent", body.GetProperty("status").GetString());
        Assert.Contains(graph.Requests, r => r.PathAndQuery == $"/v21.0/{PhoneNumberId}/messages");

        await Eventually.HoldsAsync(() => receiver.Events("message.sent").Any());
        var delivery = receiver.Deliveries.First(d => Encoding.UTF8.GetString(d.Body).Contains("message.sent", StringComparison.Ordinal));
        Assert.StartsWith("v1,", delivery.Header("webhook-signature"), StringComparison.Ordinal);
        var expected = WebhookSignature.Sign(delivery.Header("webhook-id")!, DateTimeOffset.FromUnixTimeSeconds(long.Parse(delivery.Header("webhook-timestamp")!, System.Globalization.CultureInfo.InvariantCulture)), delivery.Body, [WebhookSecret.Parse(secret)]);
        Assert.Equal(expected.Signature, delivery.Header("webhook-signature"));

        // Meta reports the message delivered and read, by its own id.
        await PostCloudWebhookAsync(StatusPayload("wamid.fake1", "delivered") );
        await PostCloudWebhookAsync(StatusPayload("wamid.fake1", "read"));
        var record = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/messages/shop-1/{messageId}");
        Assert.Equal("read", record.GetProperty("status").GetString());
        await Eventually.HoldsAsync(() => receiver.Events("message.ack").Count() == 2);
        Assert.Equal(["delivered", "read"], receiver.Events("message.ack").Select(e => e.GetProperty("data").GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Inbound_cloud_messages_become_message_events_once_even_when_meta_repeats_them()
    {
        await StartCloudTenantAsync("shop-1");
        var payload = InboundText("wamid.IN1", "16505551234", "Does it come in blue?");

        Assert.Equal(HttpStatusCode.OK, (await PostCloudWebhookAsync(payload)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostCloudWebhookAsync(payload)).StatusCode);

        await Eventually.HoldsAsync(() => receiver.Events("message").Any());
        await Task.Delay(200);
        var message = Assert.Single(receiver.Events("message"));
        var data = message.GetProperty("data");
        Assert.Equal("shop-1", message.GetProperty("tenantId").GetString());
        Assert.Equal("16505551234@s.whatsapp.net", data.GetProperty("from").GetString());
        Assert.Equal("Does it come in blue?", data.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_wrong_signature_is_refused_and_nothing_is_recorded()
    {
        await StartCloudTenantAsync("shop-1");
        var payload = InboundText("wamid.IN2", "16505551234", "hi");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/cloud") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Hub-Signature-256", CloudSignature.Compute("not-the-secret", Encoding.UTF8.GetBytes(payload)));
        using var anonymous = factory.CreateClient(apiKey: null);
        var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Task.Delay(200);
        Assert.Empty(receiver.Events("message"));
    }

    [Fact]
    public async Task The_verification_handshake_answers_only_the_right_token()
    {
        await StartCloudTenantAsync("shop-1");
        using var anonymous = factory.CreateClient(apiKey: null);

        var ok = await anonymous.GetAsync(new Uri("/webhooks/cloud?hub.mode=subscribe&hub.verify_token=verify-1&hub.challenge=1158201444", UriKind.Relative));
        var wrong = await anonymous.GetAsync(new Uri("/webhooks/cloud?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public async Task The_same_idempotency_key_sends_once()
    {
        await StartCloudTenantAsync("shop-1");

        async Task<string> SendAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages/shop-1/send") { Content = JsonContent.Create(new { to = "15551234567", message = "once" }) };
            request.Headers.Add("Idempotency-Key", "order-42");
            using var response = await admin.SendAsync(request);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString()!;
        }

        Assert.Equal(await SendAsync(), await SendAsync());
        Assert.Single(graph.Requests, r => r.PathAndQuery.EndsWith("/messages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_credentials_leave_the_tenant_failed_and_sends_get_409()
    {
        graph.Enqueue(401, """{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}""");
        using var started = await admin.PostAsJsonAsync("/api/v1/sessions/shop-2/start", CloudStart());
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("failed", body.GetProperty("status").GetString());
        using var sent = await admin.PostAsJsonAsync("/api/v1/messages/shop-2/send", new { to = "15551234567", message = "hi" });
        Assert.Equal(HttpStatusCode.Conflict, sent.StatusCode);
        var status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/shop-2/status");
        Assert.Equal(401, status.GetProperty("lastDisconnect").GetProperty("code").GetInt32());
        Assert.DoesNotContain("EAAG", await started.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_restart_on_the_same_folder_the_tenant_is_back_without_a_start_call()
    {
        await StartCloudTenantAsync("shop-1");
        var sessionsDir = factory.SessionsDir;
        admin.Dispose();
        await factory.DisposeAsync();

        factory = NewFactory(sessionsDir);
        admin = factory.CreateClient(GatewayFactory.AdminKey);
        await Eventually.HoldsAsync(async () =>
            (await admin.GetAsync(new Uri("/api/v1/sessions/shop-1/status", UriKind.Relative))) is { StatusCode: HttpStatusCode.OK } response
            && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString() == "connected");

        using var sent = await admin.PostAsJsonAsync("/api/v1/messages/shop-1/send", new { to = "15551234567", message = "after restart" });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.DoesNotContain("EAAG-token", File.ReadAllText(Path.Combine(sessionsDir, "shop-1", "settings.json")), StringComparison.Ordinal);
    }

    private GatewayFactory NewFactory(string? sessionsDir) => new(
        new Dictionary<string, string?>
        {
            ["GATEWAY_CLOUD_API_URL"] = graph.BaseUrl.ToString(),
            ["GATEWAY_STORE_KEY"] = "store-key-for-tests",
            ["Gateway:Sessions:SendInterval"] = "00:00:00",
        },
        sessionsDir);

    private static object CloudStart() => new
    {
        provider = "cloud",
        cloud = new { phoneNumberId = PhoneNumberId, accessToken = "EAAG-token", appSecret = AppSecret, verifyToken = "verify-1" },
    };

    private async Task<string> StartCloudTenantAsync(string tenantId)
    {
        using var started = await admin.PostAsJsonAsync($"/api/v1/sessions/{tenantId}/start", CloudStart());
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.Equal("connected", (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        using var hook = await admin.PutAsJsonAsync($"/api/v1/sessions/{tenantId}/webhook", new { url = receiver.Url });
        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        return (await hook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    private async Task<HttpResponseMessage> PostCloudWebhookAsync(string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/cloud") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Hub-Signature-256", CloudSignature.Compute(AppSecret, Encoding.UTF8.GetBytes(payload)));
        using var anonymous = factory.CreateClient(apiKey: null);
        return await anonymous.SendAsync(request);
    }

    private static string InboundText(string id, string from, string text) => $$$"""
        {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"{{{PhoneNumberId}}}"},
          "contacts":[{"profile":{"name":"Sheena"},"wa_id":"{{{from}}}"}],
          "messages":[{"from":"{{{from}}}","id":"{{{id}}}","timestamp":"1749416383","type":"text","text":{"body":"{{{text}}}"}}]}}]}]}
        """;

    private static string StatusPayload(string id, string status) => $$$"""
        {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"{{{PhoneNumberId}}}"},
          "statuses":[{"id":"{{{id}}}","status":"{{{status}}}","timestamp":"1750263773","recipient_id":"15551234567"}]}}]}]}
        """;
}
