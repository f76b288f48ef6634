using Gateway.SessionStore;

namespace Gateway.Providers;

/// <summary>
/// What a send keeps about its message before the message may leave (its queued record), handed to the provider.
/// A provider that commits state of its own for the send writes it into that unit of work (web: with the Signal
/// sessions the encryption advanced, one commit instead of two); any other commits it alone first. Either way it
/// is on disk before anything goes to WhatsApp.
/// </summary>
public sealed class QueuedRecord(TenantStore store, Func<ITenantStores, CancellationToken, Task> write)
{
    /// <summary>Writes the record into the caller's unit of work, which must commit before the message leaves.</summary>
    public Task WriteAsync(ITenantStores stores, CancellationToken cancellationToken) => write(stores, cancellationToken);

    /// <summary>Commits the record in a unit of work of its own.</summary>
    public Task CommitAsync(CancellationToken cancellationToken) => store.RunInTransactionAsync(write, cancellationToken);
}
