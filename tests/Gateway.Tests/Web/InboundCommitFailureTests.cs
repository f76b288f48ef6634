using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Emulator;
using Gateway.Events;
using Gateway.Messaging;
using Gateway.Providers;
using Gateway.Sessions;
using Gateway.SessionStore;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Tests.Web;

/// <summary>
/// An inbound message whose commit never happens (the process dies between decrypt and commit; here the commit
/// throws) is not acknowledged, so WhatsApp redelivers it, and the receiver still gets exactly one event.
/// </summary>
public sealed class InboundCommitFailureTests : IAsyncLifetime
{
    private readonly FailFirstInbound failure = new();
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
                new FailingProviderFactory(ActivatorUtilities.CreateInstance<ProviderFactory>(sp), failure))));
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
    public async Task An_uncommitted_message_is_redelivered_and_reported_once()
    {
        await Tenants.LinkAsync(admin, emulator, "shop-a", "15550000021");
        var deviceB = await Tenants.LinkAsync(admin, emulator, "shop-b", "15550000022");
        failure.Armed = true;

        using var sent = await admin.PostAsJsonAsync("/api/v1/messages/shop-a/send", new { to = "15550000022", message = "exactly once" });
        var messageId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString();
        await Eventually.HoldsAsync(() => failure.Failures == 1);
        await Eventually.HoldsAsync(() => emulator.Admin.GetDevice(deviceB)!.PendingStanzas > 0); // not acked

        // The connection goes away, as it does with the process; the next login gets the message again.
        emulator.Admin.DropConnection(deviceB);
        await Eventually.HoldsAsync(() => receiver.Events("message").Any(e => e.GetProperty("data").GetProperty("messageId").GetString() == messageId));
        await Eventually.HoldsAsync(() => emulator.Admin.GetDevice(deviceB)!.PendingStanzas == 0);

        using var next = await admin.PostAsJsonAsync("/api/v1/messages/shop-a/send", new { to = "15550000022", message = "and the session goes on" });
        var nextId = (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString();
        await Eventually.HoldsAsync(() => receiver.Events("message").Any(e => e.GetProperty("data").GetProperty("messageId").GetString() == nextId));
        Assert.Single(receiver.Events("message"), e => e.GetProperty("data").GetProperty("messageId").GetString() == messageId);
        Assert.Equal(1, failure.Failures);
    }

    /// <summary>Makes the first inbound commit fail once armed, as if the process had died before it.</summary>
    private sealed class FailFirstInbound
    {
        public volatile bool Armed;
        public int Failures;
    }

    private sealed class FailingProviderFactory(IProviderFactory inner, FailFirstInbound failure) : IProviderFactory
    {
        public IMessagingProvider Create(string tenantId, TenantSettings settings, TenantStore store) =>
            new FailingProvider(inner.Create(tenantId, settings, store), failure);
    }

    private sealed class FailingProvider(IMessagingProvider inner, FailFirstInbound failure) : IMessagingProvider
    {
        public string Name => inner.Name;

        public Task StartAsync(IProviderEvents events, CancellationToken cancellationToken) => inner.StartAsync(new FailingEvents(events, failure), cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

        public Task LogoutAsync(CancellationToken cancellationToken) => inner.LogoutAsync(cancellationToken);

        public Task<string> SendAsync(OutboundMessage message, QueuedRecord queued, CancellationToken cancellationToken) => inner.SendAsync(message, queued, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class FailingEvents(IProviderEvents inner, FailFirstInbound failure) : IProviderEvents
    {
        public ValueTask OnStateAsync(ProviderState state, CancellationToken cancellationToken) => inner.OnStateAsync(state, cancellationToken);

        public ValueTask OnMessageAsync(InboundMessage message, CancellationToken cancellationToken) => inner.OnMessageAsync(message, cancellationToken);

        public ValueTask OnStatusUpdatesAsync(IReadOnlyList<MessageStatusReport> updates, CancellationToken cancellationToken) => inner.OnStatusUpdatesAsync(updates, cancellationToken);

        public async Task WriteInboundAsync(ITenantStores stores, InboundMessage message, CancellationToken cancellationToken)
        {
            await inner.WriteInboundAsync(stores, message, cancellationToken);
            if (failure.Armed && Interlocked.CompareExchange(ref failure.Failures, 1, 0) == 0)
            {
                throw new IOException("simulated crash before the commit");
            }
        }

        public void InboundCommitted(int messages) => inner.InboundCommitted(messages);
    }
}
