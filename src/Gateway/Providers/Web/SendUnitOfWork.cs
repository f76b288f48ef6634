using Gateway.SessionStore;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.Providers.Web;

/// <summary>
/// One text send's commit: the message's queued record and the Signal sessions its encryption advanced, in one
/// unit of work of the tenant's store, committed before the client writes the stanza.
/// </summary>
internal sealed class SendUnitOfWork(TenantStore store, QueuedRecord queued) : IOutboundUnitOfWork
{
    public Task RunAsync(Func<SignalStores, CancellationToken, Task> storeSessions, CancellationToken cancellationToken) =>
        store.RunInTransactionAsync(
            async (stores, token) =>
            {
                await queued.WriteAsync(stores, token);
                await storeSessions(stores.Signal, token);
            },
            cancellationToken);
}
