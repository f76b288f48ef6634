using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Events;
using Gateway.Providers;
using Gateway.Sessions;
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

    [Fact]
    public async Task Reports_that_arrive_together_are_recorded_in_one_commit_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var providers = new ScriptedProviderFactory();
        await using var factory = new GatewayFactory(services: s => s.Replace(ServiceDescriptor.Singleton<IProviderFactory>(providers)));
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);
        using (await admin.PostAsync(new Uri("/api/v1/sessions/shop-1/start", UriKind.Relative), null))
        {
        }

        await Eventually.HoldsAsync(async () =>
            (await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/shop-1/status")).GetProperty("status").GetString() == "connected");
        var ids = new List<string>();
        foreach (var text in new[] { "one", "two", "three" })
        {
            using var send = await admin.PostAsJsonAsync("/api/v1/messages/shop-1/send", new { to = "15551234567", message = text });
            ids.Add((await send.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString()!);
        }

        var store = factory.Services.GetRequiredService<SessionManager>().Get("shop-1")!.Store;
        var at = DateTimeOffset.UtcNow;
        var before = store.Commits;
        await providers.Latest.ReportManyAsync(
        [
            new MessageStatusReport(ids[0], null, DeliveryStatus.Delivered, at, null),
            new MessageStatusReport(ids[1], null, DeliveryStatus.Delivered, at, null),
            new MessageStatusReport(ids[0], null, DeliveryStatus.Read, at, null),
            new MessageStatusReport(ids[2], null, DeliveryStatus.Delivered, at, null),
            new MessageStatusReport("3EB0NOBODY", null, DeliveryStatus.Delivered, at, null),
        ]);
        Assert.Equal(before + 1, store.Commits);

        // Nothing in a batch that moves nothing: no commit.
        await providers.Latest.ReportManyAsync([new MessageStatusReport(ids[1], null, DeliveryStatus.Sent, at, null)]);
        Assert.Equal(before + 1, store.Commits);

        // The webhook only now, so that its deliveries (and their commits) cannot land between the counts above.
        using (var hook = await admin.PutAsJsonAsync("/api/v1/sessions/shop-1/webhook", new { url = receiver.Url, events = new[] { "message.ack" } }))
        {
            Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        }

        await Eventually.HoldsAsync(() => receiver.Events("message.ack").Count() == 4);
        Assert.Equal(
            [$"{ids[0]} delivered", $"{ids[1]} delivered", $"{ids[0]} read", $"{ids[2]} delivered"],
            receiver.Events("message.ack").Select(e => $"{e.GetProperty("data").GetProperty("messageId").GetString()} {e.GetProperty("data").GetProperty("status").GetString()}"));
        foreach (var (id, status) in new[] { (ids[0], "read"), (ids[1], "delivered"), (ids[2], "delivered") })
        {
            Assert.Equal(status, (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/messages/shop-1/{id}")).GetProperty("status").GetString());
        }
    }
}
