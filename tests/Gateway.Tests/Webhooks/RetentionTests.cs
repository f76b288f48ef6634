using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Events;
using Gateway.Providers;
using Gateway.Tests.Sessions;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// An active tenant's store forgets what it no longer needs, the way the settings say: delivered webhook events and
/// their log after 7 days, dead letters and settled message records after 30. The prune runs from the tenant's own
/// webhook dispatcher when the tenant is busy anyway; the API then answers as it does for anything unknown.
/// </summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task An_active_tenants_old_deliveries_dead_letters_and_message_records_are_pruned()
    {
        var clock = new ShiftedClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        var providers = new ScriptedProviderFactory();
        // The test polls the API; the per-key rate limit is not what it is about.
        var settings = new Dictionary<string, string?> { ["GATEWAY_RATE_LIMIT_PER_MINUTE"] = "100000" };
        await using var factory = new GatewayFactory(settings, services: s =>
        {
            s.Replace(ServiceDescriptor.Singleton<IProviderFactory>(providers));
            s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        });
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);
        using (await admin.PostAsync(new Uri("/api/v1/sessions/shop-1/start", UriKind.Relative), null))
        {
        }

        // Status events are delivered; the message's events are not subscribed, so they become dead letters.
        using (var hook = await admin.PutAsJsonAsync("/api/v1/sessions/shop-1/webhook", new { url = receiver.Url, events = new[] { "session.status" } }))
        {
            Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        }

        await Eventually.HoldsAsync(async () => (await DeliveriesAsync(admin)).Any(e => e.GetProperty("outcome").GetString() == "delivered"));
        using var sent = await admin.PostAsJsonAsync("/api/v1/messages/shop-1/send", new { to = "+15551234567", type = "text", message = "hello" });
        var messageId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString();
        await providers.Latest.ReportAsync(messageId!, DeliveryStatus.Read, clock.GetUtcNow());
        await Eventually.HoldsAsync(async () => (await DeadLettersAsync(admin)).Length == 2);
        var firstDeliveries = (await DeliveriesAsync(admin)).Select(e => e.GetProperty("sequence").GetInt64()).ToHashSet();
        var deadSequence = (await DeadLettersAsync(admin))[0].GetProperty("sequence").GetInt64();

        // Eight days later the tenant is busy again (a reconnect): delivered events older than 7 days go, with their
        // log; the dead letters and the message record are younger than 30 days and stay.
        clock.Advance(TimeSpan.FromDays(8));
        var eightDaysOn = clock.GetUtcNow();
        await providers.Latest.DropAsync(500);
        await Eventually.HoldsAsync(async () =>
        {
            var log = await DeliveriesAsync(admin);
            return log.Length > 0 && log.All(e => e.GetProperty("at").GetDateTimeOffset() >= eightDaysOn);
        });
        Assert.DoesNotContain((await DeliveriesAsync(admin)).Select(e => e.GetProperty("sequence").GetInt64()), firstDeliveries.Contains);
        Assert.Equal(2, (await DeadLettersAsync(admin)).Length);
        Assert.Equal("read", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/messages/shop-1/{messageId}")).GetProperty("status").GetString());

        // Thirty-one days after that: the dead letters and the read message record are gone too.
        clock.Advance(TimeSpan.FromDays(31));
        await providers.Latest.DropAsync(500);
        await Eventually.HoldsAsync(async () => (await DeadLettersAsync(admin)).Length == 0);
        // Records are pruned in a step of their own after the events, so the record may still be there for a moment.
        await Eventually.HoldsAsync(async () =>
        {
            using var message = await admin.GetAsync(new Uri($"/api/v1/messages/shop-1/{messageId}", UriKind.Relative));
            return message.StatusCode == HttpStatusCode.NotFound;
        });
        using var redeliver = await admin.PostAsync(new Uri($"/api/v1/sessions/shop-1/webhook/deliveries/{deadSequence}/redeliver", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, redeliver.StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/sessions/shop-1/webhook/deliveries?sequence={deadSequence}"))!);
    }

    private static async Task<JsonElement[]> DeliveriesAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/sessions/shop-1/webhook/deliveries"))!;

    private static async Task<JsonElement[]> DeadLettersAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/sessions/shop-1/webhook/dead-letters"))!;
}
