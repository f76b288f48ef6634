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

    /// <summary>Runs a step whose writes are all undone if it throws (one failed item of a batch).</summary>
    public async Task<T> IsolateAsync<T>(Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ObjectDisposedException.ThrowIf(_closed, this);
        Dictionary<(string Collection, LiteDB.BsonValue Id), LiteDB.BsonDocument?> savepoint;
        lock (session)
        {
            savepoint = session.Savepoint();
        }
        try
        {
            return await step(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (session)
            {
                session.RollbackTo(savepoint);
            }
            throw;
        }
    }

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
