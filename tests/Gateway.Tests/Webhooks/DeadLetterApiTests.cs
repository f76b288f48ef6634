using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Providers;
using Gateway.Tests.Sessions;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Tests.Webhooks;

/// <summary>A receiver that refuses (4xx) sends the event to the dead letters; one call redelivers it.</summary>
public sealed class DeadLetterApiTests
{
    [Fact]
    public async Task A_refused_event_is_dead_lettered_listed_and_redelivered_on_request()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 410;
        var providers = new ScriptedProviderFactory();
        await using var factory = new GatewayFactory(services: s => s.Replace(ServiceDescriptor.Singleton<IProviderFactory>(providers)));
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);
        using (await admin.PostAsync(new Uri("/api/v1/sessions/shop-1/start", UriKind.Relative), null))
        {
        }

        using (var hook = await admin.PutAsJsonAsync("/api/v1/sessions/shop-1/webhook", new { url = receiver.Url, events = new[] { "session.status" } }))
        {
            Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        }

        // starting, connecting, connected and then replaced: four status events, each refused by the receiver.
        await providers.Latest.DropAsync(440);
        JsonElement[] dead = [];
        await Eventually.HoldsAsync(async () =>
        {
            dead = (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/sessions/shop-1/webhook/dead-letters"))!;
            return dead.Length == 4;
        });
        Assert.All(dead, d => Assert.Equal("HTTP 410", d.GetProperty("lastError").GetString()));
        var sequence = dead[^1].GetProperty("sequence").GetInt64(); // oldest first: the last is "replaced"
        Assert.Empty(receiver.Accepted);

        receiver.Status = 200;
        using var redeliver = await admin.PostAsync(new Uri($"/api/v1/sessions/shop-1/webhook/deliveries/{sequence}/redeliver", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);

        await Eventually.HoldsAsync(() => receiver.Events("session.status").Any(e => e.GetProperty("data").GetProperty("status").GetString() == "replaced"));
        // A success is recorded a moment after it went out (it rides on a later commit of the tenant), so the log may trail the receiver.
        JsonElement[] log = [];
        await Eventually.HoldsAsync(async () =>
        {
            log = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/sessions/shop-1/webhook/deliveries?sequence={sequence}"))!;
            return log.Length == 3;
        });
        Assert.Equal(["delivered", "requeued", "dead_lettered"], log.Select(e => e.GetProperty("outcome").GetString()));
        Assert.Equal("HTTP 410", log![2].GetProperty("error").GetString());
        Assert.Equal(200, log[0].GetProperty("statusCode").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync(new Uri("/api/v1/sessions/shop-1/webhook/deliveries/999999/redeliver", UriKind.Relative), null)).StatusCode);
    }
}
