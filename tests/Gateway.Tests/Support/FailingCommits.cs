using Gateway.Events;
using Gateway.Messaging;
using Gateway.Providers;
using Gateway.Sessions;
using Gateway.SessionStore;

namespace Gateway.Tests.Support;

/// <summary>
/// Makes one chosen step of a tenant's provider events fail once armed, as if the process had died there: right after
/// the first inbound message's commit (before its ack), or just before the first status commit that holds a
/// delivered status.
/// Installed by wrapping the gateway's provider factory (<see cref="Factory"/>).
/// </summary>
internal sealed class FailingCommits
{
    private int inboundFailures;
    private int statusFailures;

    public volatile bool InboundArmed;
    public volatile bool DeliveredArmed;

    public int InboundFailures => Volatile.Read(ref inboundFailures);

    public int StatusFailures => Volatile.Read(ref statusFailures);

    public IProviderFactory Factory(IProviderFactory inner) => new FailingProviderFactory(inner, this);

    private bool TakeInbound() => InboundArmed && Interlocked.CompareExchange(ref inboundFailures, 1, 0) == 0;

    private bool TakeStatuses(IReadOnlyList<MessageStatusReport> updates) =>
        DeliveredArmed && updates.Any(u => u.Status == DeliveryStatus.Delivered) && Interlocked.CompareExchange(ref statusFailures, 1, 0) == 0;

    private sealed class FailingProviderFactory(IProviderFactory inner, FailingCommits failures) : IProviderFactory
    {
        public IMessagingProvider Create(string tenantId, TenantSettings settings, TenantStore store) =>
            new FailingProvider(inner.Create(tenantId, settings, store), failures);
    }

    private sealed class FailingProvider(IMessagingProvider inner, FailingCommits failures) : IMessagingProvider
    {
        public string Name => inner.Name;

        public Task StartAsync(IProviderEvents events, CancellationToken cancellationToken) => inner.StartAsync(new FailingEvents(events, failures), cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

        public Task LogoutAsync(CancellationToken cancellationToken) => inner.LogoutAsync(cancellationToken);

        public Task<string> SendAsync(OutboundMessage message, CancellationToken cancellationToken) => inner.SendAsync(message, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class FailingEvents(IProviderEvents inner, FailingCommits failures) : IProviderEvents
    {
        public ValueTask OnStateAsync(ProviderState state, CancellationToken cancellationToken) => inner.OnStateAsync(state, cancellationToken);

        public async ValueTask OnMessageAsync(InboundMessage message, CancellationToken cancellationToken)
        {
            await inner.OnMessageAsync(message, cancellationToken);
            if (failures.TakeInbound())
            {
                throw new IOException("simulated crash after the commit, before the ack");
            }
        }

        public ValueTask OnStatusUpdatesAsync(IReadOnlyList<MessageStatusReport> updates, CancellationToken cancellationToken) =>
            failures.TakeStatuses(updates)
                ? ValueTask.FromException(new IOException("simulated crash before the status commit"))
                : inner.OnStatusUpdatesAsync(updates, cancellationToken);
    }
}
