namespace Gateway.SessionStore.Storage;

/// <summary>Store operations inside one unit of work: all go to its write session, until the unit of work ends.</summary>
internal sealed class TransactionSessionSource(WriteSession session, string tenantId) : IStoreSessionSource
{
    private volatile bool _closed;

    public void Close() => _closed = true;

    public Task<T> ReadAsync<T>(Func<IStoreSession, T> read, CancellationToken cancellationToken) => Run(read, cancellationToken);

    public Task<T> WriteAsync<T>(Func<IStoreSession, T> write, CancellationToken cancellationToken) =>
        Run(s =>
        {
            // A call that throws leaves nothing behind, as it would outside a unit of work.
            var savepoint = session.Savepoint();
            try
            {
                return write(s);
            }
            catch
            {
                session.RollbackTo(savepoint);
                throw;
            }
        }, cancellationToken);

    private Task<T> Run<T>(Func<IStoreSession, T> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        cancellationToken.ThrowIfCancellationRequested();
        // A unit of work's stores are used by one flow at a time; the lock only guards against a caller that
        // starts two store calls without awaiting the first.
        lock (session)
        {
            return Task.FromResult(StoreErrors.Guard(tenantId, () => operation(session)));
        }
    }
}
