using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Emulator;
using Gateway.Providers;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Tests.Web;

/// <summary>
/// What WhatsApp sends is acknowledged only once it is committed. An inbound message committed but not acknowledged
/// (the process dies in between; here the handler throws after its commit) comes again at the next login, is
/// answered from the inbound buffer with a normal receipt (no retry receipt) and is reported exactly once. A receipt's
/// delivered status whose commit never happens stays with the server, comes again and is reported once.
/// </summary>
public sealed class CommitFailureRedeliveryTests : IAsyncLifetime
{
    private readonly FailingCommits failure = new();
    private EmulatorServer emulator = null!;
    private WebhookReceiver receiver = null!;
    private GatewayFactory factory = null!;
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        emulator = await EmulatorServer.StartAsync();
        receiver = await WebhookReceiver.StartAsync();
        factory = new GatewayFactory(
            new Dictionary<string, string?>
            {
                ["WHATSAPP_WS_URL"] = emulator.WebSocketUrl.ToString(),
                ["WHATSAPP_ROOT_KEY"] = emulator.RootPublicKeyHex,
                ["GATEWAY_WEBHOOK_URL"] = receiver.Url.ToString(),
                ["GATEWAY_WEBHOOK_SECRET"] = "whsec_" + Convert.ToBase64String(new byte[32]),
                ["Gateway:Sessions:ReconnectBaseDelay"] = "00:00:00.100",
                ["Gateway:Sessions:SendInterval"] = "00:00:00",
            },
            services: s => s.Replace(ServiceDescriptor.Singleton<IProviderFactory>(sp =>
                failure.Factory(ActivatorUtilities.CreateInstance<ProviderFactory>(sp)))));
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
    public async Task A_message_killed_between_commit_and_ack_comes_again_from_the_buffer_and_is_reported_once()
    {
        await Tenants.LinkAsync(admin, emulator, "shop-a", "15550000021");
        var deviceB = await Tenants.LinkAsync(admin, emulator, "shop-b", "15550000022");
        failure.InboundArmed = true;

        using var sent = await admin.PostAsJsonAsync("/api/v1/messages/shop-a/send", new { to = "15550000022", message = "exactly once" });
        var messageId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString();
        await Eventually.HoldsAsync(() => failure.InboundFailures == 1);
        await Eventually.HoldsAsync(() => emulator.Admin.GetDevice(deviceB)!.PendingStanzas > 0); // not acked

        // The connection goes away, as it does with the process; the next login gets the message again.
        emulator.Admin.DropConnection(deviceB);
        await Eventually.HoldsAsync(() => receiver.Events("message").Any(e => e.GetProperty("data").GetProperty("messageId").GetString() == messageId));
        await Eventually.HoldsAsync(() => emulator.Admin.GetDevice(deviceB)!.PendingStanzas == 0);

        using var next = await admin.PostAsJsonAsync("/api/v1/messages/shop-a/send", new { to = "15550000022", message = "and the session goes on" });
        var nextId = (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString();
        await Eventually.HoldsAsync(() => receiver.Events("message").Any(e => e.GetProperty("data").GetProperty("messageId").GetString() == nextId));
        Assert.Single(receiver.Events("message"), e => e.GetProperty("data").GetProperty("messageId").GetString() == messageId);
        Assert.Equal(1, failure.InboundFailures);
        Assert.Equal(0, emulator.Admin.GetDevice(deviceB)!.Sent.GetValueOrDefault("receipt:retry"));
    }

    [Fact]
    public async Task A_delivered_status_that_did_not_commit_comes_again_and_is_reported_once()
    {
        var deviceA = await Tenants.LinkAsync(admin, emulator, "shop-a", "15550000021");
        await Tenants.LinkAsync(admin, emulator, "shop-b", "15550000022");
        failure.DeliveredArmed = true;

        using var sent = await admin.PostAsJsonAsync("/api/v1/messages/shop-a/send", new { to = "15550000022", message = "delivered once" });
        var messageId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString();
        await Eventually.HoldsAsync(() => failure.StatusFailures == 1);
        // The receipt is not acknowledged: the server keeps it for the sender's device.
        await Eventually.HoldsAsync(() => emulator.Admin.GetDevice(deviceA)!.PendingStanzas > 0);
        Assert.DoesNotContain(receiver.Events("message.ack"), e => IsDelivered(e, messageId));

        emulator.Admin.DropConnection(deviceA);
        await Eventually.HoldsAsync(() => receiver.Events("message.ack").Any(e => IsDelivered(e, messageId)));
        await Eventually.HoldsAsync(() => emulator.Admin.GetDevice(deviceA)!.PendingStanzas == 0);
        await Eventually.HoldsAsync(async () =>
            (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/messages/shop-a/{messageId}")).GetProperty("status").GetString() is "delivered" or "read");

        Assert.Single(receiver.Events("message.ack"), e => IsDelivered(e, messageId));
        Assert.Equal(1, failure.StatusFailures);
    }

    private static bool IsDelivered(JsonElement webhook, string? messageId) =>
        webhook.GetProperty("data").GetProperty("messageId").GetString() == messageId
        && webhook.GetProperty("data").GetProperty("status").GetString() == "delivered";
}
