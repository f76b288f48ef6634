using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Events;
using Gateway.Providers;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Tests.Sessions;

/// <summary>
/// A provider may report a send's statuses as events before the send returns (the web provider reports its
/// server's ack, and a fast peer's receipt can follow): the send's own "sent" must not undo or repeat them.
/// </summary>
public sealed class SendStatusTests
{
    [Fact]
    public async Task A_receipt_reported_before_the_send_returns_stays_and_each_status_is_one_event()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var providers = new ScriptedProviderFactory { ReportOnSend = [DeliveryStatus.Sent, DeliveryStatus.Delivered] };
        await using var factory = new GatewayFactory(services: s => s.Replace(ServiceDescriptor.Singleton<IProviderFactory>(providers)));
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);
        using (await admin.PostAsync(new Uri("/api/v1/sessions/shop-1/start", UriKind.Relative), null))
        {
        }

        using (var hook = await admin.PutAsJsonAsync("/api/v1/sessions/shop-1/webhook", new { url = receiver.Url, events = new[] { "message.sent", "message.ack" } }))
        {
            Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        }

        await Eventually.HoldsAsync(async () =>
            (await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/shop-1/status")).GetProperty("status").GetString() == "connected");
        using var send = await admin.PostAsJsonAsync("/api/v1/messages/shop-1/send", new { to = "15551234567", message = "hello" });
        Assert.Equal(HttpStatusCode.OK, send.StatusCode);
        var id = (await send.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString();

        await Eventually.HoldsAsync(() => receiver.Events("message.ack").Any());
        var record = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/messages/shop-1/{id}");
        Assert.Equal("delivered", record.GetProperty("status").GetString());
        Assert.Single(receiver.Events("message.sent"));
        Assert.Equal("delivered", Assert.Single(receiver.Events("message.ack")).GetProperty("data").GetProperty("status").GetString());
    }
}
