using Gateway.SessionStore;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.Providers.Web;

/// <summary>
/// One text send's commit: the message's queued record and the Signal sessions its encryption advanced, in one
/// unit of work of the tenant's store, committed before the client writes the stanza. Sends the client encrypted
/// together share one: each record is isolated, so a record that cannot be written (an idempotency key another
/// request took) fails its own send only.
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

    public bool CanCarry(IOutboundUnitOfWork other) => other is SendUnitOfWork send && ReferenceEquals(send.Store, store);

    public async Task<IReadOnlyList<Exception?>> RunWithAsync(
        IReadOnlyList<IOutboundUnitOfWork> others, Func<SignalStores, CancellationToken, Task> storeSessions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(others);
        SendUnitOfWork[] sends = [this, .. others.Select(other => CanCarry(other) ? (SendUnitOfWork)other : throw new ArgumentException("A send of another store.", nameof(others)))];
        var failures = new Exception?[sends.Length];
        await store.RunInTransactionAsync(
            async (stores, token) =>
            {
                for (var i = 0; i < sends.Length; i++)
                {
                    try
                    {
                        await stores.IsolateAsync(
                            async step =>
                            {
                                await sends[i].Record.WriteAsync(stores, step);
                                return true;
                            },
                            token);
                    }
                    catch (Exception error) when (error is not OperationCanceledException)
                    {
                        failures[i] = error;
                    }
                }

                await storeSessions(stores.Signal, token);
            },
            cancellationToken);
        return failures;
    }

    private TenantStore Store => store;

    private QueuedRecord Record => queued;
}
