using Gateway.SessionStore.Storage;

namespace Gateway.SessionStore.Sqlite;

/// <summary>
/// How a store reaches its tenant's database: straight (each read on the committed state, each write its own
/// transaction) or inside one unit of work (reads see its writes, writes commit with it).
/// </summary>
internal abstract class StoreAccess(string tenantId, ValueSealer sealer)
{
    public string TenantId { get; } = tenantId;

    public ValueSealer Sealer { get; } = sealer;

    public abstract Task<T> ReadAsync<T>(Func<TenantConnection, T> read, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="write"/> atomically: all its statements are kept or none is.</summary>
    public abstract Task<T> WriteAsync<T>(Func<TenantConnection, T> write, CancellationToken cancellationToken);

    public byte[] Seal(ReadOnlySpan<byte> plain, string table, string row) => Sealer.Seal(plain, table, row);

    public byte[] Open(byte[] stored, string table, string row) => Sealer.Open(stored, table, row);
}

/// <summary>Access inside a unit of work that already holds the writer and its transaction.</summary>
internal sealed class UnitOfWorkAccess(string tenantId, ValueSealer sealer, TenantConnection connection) : StoreAccess(tenantId, sealer)
{
    private int savepoints;
    private bool closed;

    public override Task<T> ReadAsync<T>(Func<TenantConnection, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        EnsureOpen();
        return Task.FromResult(StoreErrors.Guard(TenantId, () => read(connection)));
    }

    public override Task<T> WriteAsync<T>(Func<TenantConnection, T> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        EnsureOpen();
        return Task.FromResult(Isolate(() => StoreErrors.Guard(TenantId, () => write(connection))));
    }

    /// <summary>Runs an async step under a savepoint: if it throws, only its own writes are undone.</summary>
    public async Task<T> IsolateAsync<T>(Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        EnsureOpen();
        var name = Begin();
        T result;
        try
        {
            result = await step(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Undo(name);
            throw;
        }

        connection.Execute("RELEASE " + name);
        return result;
    }

    public void Close() => closed = true;

    private T Isolate<T>(Func<T> write)
    {
        var name = Begin();
        T result;
        try
        {
            result = write();
        }
        catch
        {
            Undo(name);
            throw;
        }

        connection.Execute("RELEASE " + name);
        return result;
    }

    private string Begin()
    {
        var name = "s" + ++savepoints;
        connection.Execute("SAVEPOINT " + name);
        return name;
    }

    private void Undo(string name)
    {
        connection.Execute("ROLLBACK TO " + name);
        connection.Execute("RELEASE " + name);
    }

    private void EnsureOpen()
    {
        if (closed)
        {
            throw new ObjectDisposedException(nameof(UnitOfWorkAccess), "The unit of work has ended; its stores can no longer be used.");
        }
    }
}
