namespace Gateway.SessionStore.Storage;

/// <summary>
/// Store operations outside a unit of work: reads go straight to the committed file, and each write is its own
/// small unit of work (so batch methods are atomic and read-modify-write steps never interleave).
/// </summary>
internal sealed class DirectSessionSource(TenantStore store) : IStoreSessionSource
{
    public Task<T> ReadAsync<T>(Func<IStoreSession, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(store.Read(read));
    }

    public Task<T> WriteAsync<T>(Func<IStoreSession, T> write, CancellationToken cancellationToken) =>
        store.WriteAsync(write, cancellationToken);
}
