using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Import;
using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Sqlite;
using Gateway.SessionStore.Storage;
using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.SessionStore;

/// <summary>
/// One tenant's durable state in one SQLite database (<c>&lt;sessionsDir&gt;/&lt;tenantId&gt;/session.db</c>, WAL),
/// owned by one store instance in one process at a time. The store properties read committed state and commit each
/// write on its own; <see cref="RunInTransactionAsync{T}"/> gives stores whose writes all commit together or not at
/// all. A commit is in the operating system's hands when its task completes, so it survives the process being
/// killed; when it is forced to the disk is <see cref="TenantStoreOptions.Fsync"/>.
/// </summary>
public sealed partial class TenantStore : ITenantStores, IDisposable
{
    // Which store's unit of work the current async flow is inside, to refuse writes that would wait on themselves.
    private static readonly AsyncLocal<TenantStore?> ActiveUnitOfWork = new();

    private readonly TenantLock tenantLock;
    private readonly TenantPaths paths;
    private readonly TenantStoreOptions options;
    private readonly ValueSealer sealer;
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly Lock readSync = new();
    private readonly ITimer? idleTimer;
    private TenantConnection? writer;
    private TenantConnection? reader;
    private long lastUse;
    private long commits;
    private long reads;
    private long idleCloses;
    private volatile bool disposed;

    private TenantStore(string tenantId, TenantPaths paths, TenantLock tenantLock, TenantStoreOptions options, TenantConnection writer, ValueSealer sealer, int foundVersion)
    {
        TenantId = tenantId;
        this.paths = paths;
        this.tenantLock = tenantLock;
        this.options = options;
        this.writer = writer;
        this.sealer = sealer;
        FoundSchemaVersion = foundVersion;
        lastUse = options.TimeProvider.GetUtcNow().UtcTicks;
        var direct = new DirectAccess(this);
        Credentials = new SqliteCredentialsStore(direct);
        LidMap = new SqliteLidMapStore(direct);
        DeviceLists = new SqliteDeviceListStore(direct);
        Messages = new SqliteMessageRecordStore(direct);
        Outbox = new SqliteWebhookOutbox(direct);
        InboundBuffer = new SqliteInboundBuffer(direct);
        Signal = SqliteSignalStores.Create(direct);
        ProtocolTransactions = new ProtocolTransactionsOnStore(this);
        if (options.IdleClose is { } idle && idle > TimeSpan.Zero)
        {
            idleTimer = options.TimeProvider.CreateTimer(_ => CloseIfIdle(), null, idle, idle);
        }
    }

    public string TenantId { get; }

    /// <summary>The schema version the file had before this open migrated it (0 for a new file).</summary>
    public int FoundSchemaVersion { get; }

    public int SchemaVersion => Read(connection => SchemaMigrations.Found(connection.Connection));

    /// <summary>Whether the store holds open connections now; they close after <see cref="TenantStoreOptions.IdleClose"/> unused.</summary>
    public bool EngineOpen
    {
        get
        {
            lock (readSync)
            {
                return !disposed && (writer is not null || reader is not null);
            }
        }
    }

    /// <summary>How many transactions that changed something this store committed since it opened (diagnostics and tests).</summary>
    public long Commits => Interlocked.Read(ref commits);

    /// <summary>How many reads of committed state (outside units of work) this store made since it opened (diagnostics).</summary>
    public long Reads => Interlocked.Read(ref reads);

    /// <summary>How many times the store closed its connections for being idle (tests).</summary>
    internal long IdleCloses => Interlocked.Read(ref idleCloses);

    /// <summary>Whether values are sealed (GATEWAY_STORE_KEY).</summary>
    public bool Sealed => sealer.IsSealing;

    public ICredentialsStore Credentials { get; }
    public ILidMapStore LidMap { get; }
    public IDeviceListStore DeviceLists { get; }
    public IMessageRecordStore Messages { get; }
    public IWebhookOutbox Outbox { get; }
    public IInboundBuffer InboundBuffer { get; }
    public SignalStores Signal { get; }

    /// <summary>The protocol library's transactions on this store (its decrypts with their buffered plaintext).</summary>
    public IProtocolTransactions ProtocolTransactions { get; }

    /// <summary>
    /// Opens (creating if needed) the tenant's store and migrates it to the current schema; a folder written by the
    /// LiteDB version is converted first (<see cref="LiteDbConversion"/>). Throws <see cref="TenantStoreLockedException"/>
    /// at once when another owner has it open, and <see cref="TenantStoreKeyException"/>,
    /// <see cref="TenantStoreCorruptException"/> or <see cref="TenantStoreVersionException"/> when the file cannot be
    /// used as it is; the file is never reset.
    /// </summary>
    public static TenantStore Open(string sessionsDirectory, string tenantId, TenantStoreOptions? options = null) =>
        Open(sessionsDirectory, tenantId, options ?? new TenantStoreOptions(), SchemaMigrations.All);

    internal static TenantStore Open(string sessionsDirectory, string tenantId, TenantStoreOptions options, IReadOnlyList<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Fsync);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        var paths = TenantPaths.For(sessionsDirectory, tenantId);
        var tenantLock = TenantLock.Acquire(paths, tenantId);
        TenantConnection? connection = null;
        try
        {
            var converted = LiteDbConversion.ConvertIfNeeded(paths, tenantId, options);
            if (!converted && !File.Exists(paths.Database) && File.Exists(paths.Database + "-wal"))
            {
                // A log without its database is not a tenant SQLite would recreate cleanly; leave it for a person.
                throw new TenantStoreCorruptException(tenantId);
            }

            var isNew = !File.Exists(paths.Database) || new FileInfo(paths.Database).Length == 0;
            connection = StoreErrors.Guard(tenantId, () => TenantConnection.Open(paths.Database, options.Fsync));
            var open = connection;
            var (found, sealer) = StoreErrors.Guard(tenantId, () =>
            {
                var version = SchemaMigrations.Upgrade(open.Connection, tenantId, migrations);
                return (version, migrations.Count == 0 ? ValueSealer.Plain : StoreKey.Resolve(open, tenantId, options.EncryptionKey, isNew || version == 0));
            });
            if (!converted)
            {
                LiteDbConversion.ForgetBackupOnceConfirmed(paths, connection);
            }

            var bufferCutoff = Instants.Of(options.TimeProvider.GetUtcNow() - SqliteInboundBuffer.Retention);
            if (connection.Scalar("SELECT 1 FROM sqlite_master WHERE name = 'inbound_buffer'") is not null
                && connection.Scalar("SELECT 1 FROM inbound_buffer WHERE received_at < $before LIMIT 1", ("$before", bufferCutoff)) is not null)
            {
                connection.Execute("DELETE FROM inbound_buffer WHERE received_at < $before", ("$before", bufferCutoff));
            }

            return new TenantStore(tenantId, paths, tenantLock, options, connection, sealer, found);
        }
        catch
        {
            connection?.Dispose();
            tenantLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> with stores bound to one unit of work and commits everything it wrote in one
    /// transaction when it returns; if it throws (or is cancelled) nothing it wrote is kept. Units of work of one
    /// tenant run one at a time. The bound stores must not be used after the unit of work ends, and the store's
    /// own (unbound) writers must not be used inside it.
    /// </summary>
    public async Task<T> RunInTransactionAsync<T>(Func<IUnitOfWorkStores, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        EnsureUsableForWrite();
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var connection = Writer();
            var changes = connection.TotalChanges;
            connection.Execute("BEGIN IMMEDIATE");
            var access = new UnitOfWorkAccess(TenantId, sealer, connection);
            var previous = ActiveUnitOfWork.Value;
            ActiveUnitOfWork.Value = this;
            T result;
            try
            {
                result = await work(new BoundStores(access), cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                connection.Execute("COMMIT");
            }
            catch
            {
                Rollback(connection);
                throw;
            }
            finally
            {
                access.Close();
                ActiveUnitOfWork.Value = previous;
            }

            CountCommit(connection, changes);
            return result;
        }
        finally
        {
            Touch();
            writeGate.Release();
        }
    }

    /// <inheritdoc cref="RunInTransactionAsync{T}"/>
    public Task RunInTransactionAsync(Func<IUnitOfWorkStores, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunInTransactionAsync(
            async (stores, ct) =>
            {
                await work(stores, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        idleTimer?.Dispose();
        // Let a running unit of work finish its commit before the database closes under it.
        writeGate.Wait();
        try
        {
            lock (readSync)
            {
                CloseConnections();
            }
        }
        finally
        {
            tenantLock.Dispose();
            writeGate.Release();
        }
    }

    /// <summary>
    /// Reads committed state: on the writer's connection when no write holds it (one connection, one page cache for
    /// a tenant that is not busy), otherwise on a reader connection of its own, so a read never waits for a unit of
    /// work, and never sees one's uncommitted writes.
    /// </summary>
    internal T Read<T>(Func<TenantConnection, T> read)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (writeGate.Wait(0))
        {
            try
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                var connection = StoreErrors.Guard(TenantId, Writer);
                Touch();
                Interlocked.Increment(ref reads);
                return StoreErrors.Guard(TenantId, () => read(connection));
            }
            finally
            {
                writeGate.Release();
            }
        }

        lock (readSync)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            reader ??= TenantConnection.Open(paths.Database, options.Fsync);
            Touch();
            Interlocked.Increment(ref reads);
            return StoreErrors.Guard(TenantId, () => read(reader));
        }
    }

    internal async Task<T> WriteAsync<T>(Func<TenantConnection, T> write, CancellationToken cancellationToken)
    {
        EnsureUsableForWrite();
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var connection = Writer();
            var changes = connection.TotalChanges;
            connection.Execute("BEGIN IMMEDIATE");
            T result;
            try
            {
                result = StoreErrors.Guard(TenantId, () => write(connection));
                connection.Execute("COMMIT");
            }
            catch
            {
                Rollback(connection);
                throw;
            }

            CountCommit(connection, changes);
            return result;
        }
        finally
        {
            Touch();
            writeGate.Release();
        }
    }

    // A transaction that changed no row wrote nothing to the log, so it is not counted as a commit.
    private void CountCommit(TenantConnection connection, long changesBefore)
    {
        if (connection.TotalChanges != changesBefore)
        {
            Interlocked.Increment(ref commits);
        }
    }

    // Under the write gate.
    private TenantConnection Writer()
    {
        if (writer is { } open)
        {
            return open;
        }

        lock (readSync)
        {
            return writer ??= TenantConnection.Open(paths.Database, options.Fsync);
        }
    }

    private static void Rollback(TenantConnection connection)
    {
        // A failed COMMIT or a statement error may have ended the transaction already.
        if (connection.InTransaction)
        {
            connection.Execute("ROLLBACK");
        }
    }

    private void Touch() => Interlocked.Exchange(ref lastUse, options.TimeProvider.GetUtcNow().UtcTicks);

    private TimeSpan SinceLastUse() => TimeSpan.FromTicks(options.TimeProvider.GetUtcNow().UtcTicks - Interlocked.Read(ref lastUse));

    private void CloseIfIdle()
    {
        if (disposed || options.IdleClose is not { } idle || SinceLastUse() < idle)
        {
            return;
        }

        if (!writeGate.Wait(0))
        {
            return;
        }

        var closed = false;
        try
        {
            lock (readSync)
            {
                if (!disposed && (writer is not null || reader is not null) && SinceLastUse() >= idle)
                {
                    CloseConnections();
                    closed = true;
                }
            }
        }
        finally
        {
            writeGate.Release();
        }

        if (closed)
        {
            Interlocked.Increment(ref idleCloses);
            options.EngineClosed?.Invoke();
        }
    }

    private void CloseConnections()
    {
        reader?.Dispose();
        reader = null;
        writer?.Dispose();
        writer = null;
    }

    private void EnsureUsableForWrite()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (ActiveUnitOfWork.Value == this)
        {
            throw new InvalidOperationException("Inside a unit of work, write through the stores it hands out; the store's own writers would wait for the unit of work to end.");
        }
    }

    private sealed class DirectAccess(TenantStore store) : StoreAccess(store.TenantId, store.sealer)
    {
        public override Task<T> ReadAsync<T>(Func<TenantConnection, T> read, CancellationToken cancellationToken) =>
            Task.FromResult(store.Read(read));

        public override Task<T> WriteAsync<T>(Func<TenantConnection, T> write, CancellationToken cancellationToken) =>
            store.WriteAsync(write, cancellationToken);
    }

    private sealed class ProtocolTransactionsOnStore(TenantStore store) : IProtocolTransactions
    {
        public Task RunAsync(Func<SignalStores, IInboundBuffer, CancellationToken, Task> work, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(work);
            return store.RunInTransactionAsync((stores, token) => work(stores.Signal, stores.InboundBuffer, token), cancellationToken);
        }
    }

    private sealed class BoundStores(UnitOfWorkAccess access) : IUnitOfWorkStores
    {
        public ICredentialsStore Credentials { get; } = new SqliteCredentialsStore(access);
        public ILidMapStore LidMap { get; } = new SqliteLidMapStore(access);
        public IDeviceListStore DeviceLists { get; } = new SqliteDeviceListStore(access);
        public IMessageRecordStore Messages { get; } = new SqliteMessageRecordStore(access);
        public IWebhookOutbox Outbox { get; } = new SqliteWebhookOutbox(access);
        public IInboundBuffer InboundBuffer { get; } = new SqliteInboundBuffer(access);
        public SignalStores Signal { get; } = SqliteSignalStores.Create(access);

        public Task<T> IsolateAsync<T>(Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken) =>
            access.IsolateAsync(step, cancellationToken);
    }
}
