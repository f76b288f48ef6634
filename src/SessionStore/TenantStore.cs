using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.LiteStores;
using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Signal.Stores;
using LiteDB;

namespace Gateway.SessionStore;

/// <summary>
/// One tenant's durable state in one LiteDB file (<c>&lt;sessionsDir&gt;/&lt;tenantId&gt;/session.db</c>), owned by
/// one store instance in one process at a time. The store properties read committed state and commit each write
/// on its own; <see cref="RunInTransactionAsync{T}"/> gives stores whose writes all commit together or not at all.
/// A write has reached the operating system when its task completes, so it survives the process being killed;
/// when it is forced to the disk is <see cref="TenantStoreOptions.Fsync"/>.
/// </summary>
public sealed class TenantStore : ITenantStores, IDisposable
{
    // Which store's unit of work the current async flow is inside, to refuse writes that would wait on themselves.
    private static readonly AsyncLocal<TenantStore?> ActiveUnitOfWork = new();

    private readonly TenantLock _lock;
    private readonly TenantFiles _files;
    private readonly StoreEngine _engine;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly TenantPaths _paths;
    private readonly CarriedWrites _carried;
    private volatile bool _disposed;
    private long _commits;

    private TenantStore(string tenantId, TenantPaths paths, TenantLock tenantLock, TenantFiles files, StoreEngine engine, int foundVersion, TimeProvider time)
    {
        _carried = new CarriedWrites(CommitCarriedAsync, time);
        TenantId = tenantId;
        _paths = paths;
        _lock = tenantLock;
        _files = files;
        _engine = engine;
        FoundSchemaVersion = foundVersion;
        var direct = new DirectSessionSource(this);
        Credentials = new LiteCredentialsStore(direct);
        LidMap = new LiteLidMapStore(direct);
        DeviceLists = new LiteDeviceListStore(direct);
        Messages = new LiteMessageRecordStore(direct);
        Outbox = new LiteWebhookOutbox(direct, _carried);
        Signal = LiteSignalStores.Create(direct);
    }

    public string TenantId { get; }

    /// <summary>The schema version the file had before this open migrated it (0 for a new file).</summary>
    public int FoundSchemaVersion { get; }

    public int SchemaVersion => _engine.Use(database => database.UserVersion);

    /// <summary>Whether the database engine is open now; it closes after <see cref="TenantStoreOptions.IdleClose"/> unused.</summary>
    public bool EngineOpen => !_disposed && _engine.IsOpen;

    /// <summary>How many transactions this store committed since it opened (diagnostics and tests).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>How many reads of committed state went to LiteDB since the store opened, past the documents it remembers (diagnostics).</summary>
    public long FileReads => _engine.FileReads;

    /// <summary>How many bytes LiteDB wrote to the store's files (log and data) since it opened (diagnostics).</summary>
    public long BytesWritten => _files.Log.BytesWritten + _files.Data.BytesWritten;

    public ICredentialsStore Credentials { get; }
    public ILidMapStore LidMap { get; }
    public IDeviceListStore DeviceLists { get; }
    public IMessageRecordStore Messages { get; }
    public IWebhookOutbox Outbox { get; }
    public SignalStores Signal { get; }

    /// <summary>
    /// Opens (creating if needed) the tenant's store and migrates it to the current schema. Throws
    /// <see cref="TenantStoreLockedException"/> at once when another owner has it open, and
    /// <see cref="TenantStoreKeyException"/>, <see cref="TenantStoreCorruptException"/> or
    /// <see cref="TenantStoreVersionException"/> when the file cannot be used as it is; the file is never reset.
    /// </summary>
    public static TenantStore Open(string sessionsDirectory, string tenantId, TenantStoreOptions? options = null) =>
        Open(sessionsDirectory, tenantId, options ?? new TenantStoreOptions(), SchemaMigrations.All);

    internal static TenantStore Open(string sessionsDirectory, string tenantId, TenantStoreOptions options, IReadOnlyList<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.CheckpointPages);
        ArgumentNullException.ThrowIfNull(options.Fsync);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        var paths = TenantPaths.For(sessionsDirectory, tenantId);
        var tenantLock = TenantLock.Acquire(paths, tenantId);
        TenantFiles? files = null;
        LiteDatabase? database = null;
        try
        {
            // The key check reads the first byte of an existing file, so it runs before the files are opened (created).
            DatabaseOpener.CheckKey(paths.Database, tenantId, options.EncryptionKey);
            files = TenantFiles.Open(paths, options.Fsync, options.TimeProvider);
            database = DatabaseOpener.Open(files, tenantId, options.EncryptionKey);
            var db = database;
            var found = StoreErrors.Guard(tenantId, () =>
            {
                if (db.CheckpointSize != options.CheckpointPages)
                {
                    db.CheckpointSize = options.CheckpointPages;
                }
                return SchemaMigrations.Upgrade(db, tenantId, migrations);
            });
            var engine = new StoreEngine(files, database, tenantId, options.EncryptionKey, options.TimeProvider, options.IdleClose, options.EngineClosed);
            return new TenantStore(tenantId, paths, tenantLock, files, engine, found, options.TimeProvider);
        }
        catch
        {
            database?.Dispose();
            files?.Dispose();
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
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var session = new WriteSession(_engine);
            var source = new TransactionSessionSource(session, TenantId);
            var previous = ActiveUnitOfWork.Value;
            ActiveUnitOfWork.Value = this;
            T result;
            try
            {
                result = await work(new BoundStores(source), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                source.Close();
                ActiveUnitOfWork.Value = previous;
            }
            cancellationToken.ThrowIfCancellationRequested();
            Commit(session);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc cref="RunInTransactionAsync{T}"/>
    public Task RunInTransactionAsync(Func<IUnitOfWorkStores, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunInTransactionAsync(async (stores, ct) =>
        {
            await work(stores, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    internal async Task ExportAsync(string destinationPath, CancellationToken cancellationToken)
    {
        EnsureUsableForWrite();
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Fold the log into the data file so the one file holds every commit.
            _engine.Use(database =>
            {
                database.Checkpoint();
                return true;
            });
            var staging = destinationPath + ".partial";
            await TenantBackup.CopyAsync(_paths.Database, staging, cancellationToken).ConfigureAwait(false);
            File.Move(staging, destinationPath, overwrite: true);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        // Let a running unit of work finish its commit before the file closes under it.
        _writeGate.Wait();
        try
        {
            CommitCarriedOnClose();
            _carried.Close(new ObjectDisposedException(nameof(TenantStore), "The tenant store closed before this write was committed."));
            try
            {
                _engine.Dispose();
            }
            finally
            {
                // After LiteDB has written its last pages: syncs what the interval has not synced yet.
                _files.Dispose();
            }
        }
        finally
        {
            _lock.Dispose();
            _writeGate.Release();
        }
    }

    /// <summary>The log file as LiteDB writes it (policy and fence tests).</summary>
    internal TenantFileStream LogFile => _files.Log;

    /// <summary>The engine, which closes while the tenant is idle (idle-close tests).</summary>
    internal StoreEngine Engine => _engine;

    internal T Read<T>(Func<IStoreSession, T> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _engine.Read(read);
    }

    internal async Task<T> WriteAsync<T>(Func<IStoreSession, T> write, CancellationToken cancellationToken, bool carryAlways = false)
    {
        EnsureUsableForWrite();
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var session = new WriteSession(_engine);
            var result = StoreErrors.Guard(TenantId, () => write(session));
            Commit(session, carryAlways);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Commits the session's changes with the carried writes waiting (see <see cref="CarriedWrites"/>): they ride on a
    /// commit that happens anyway, and make one of their own only when <paramref name="carryAlways"/>.
    /// </summary>
    private void Commit(WriteSession session, bool carryAlways = false)
    {
        var carried = session.HasChanges || carryAlways ? _carried.ApplyTo(session) : null;
        if (!session.HasChanges)
        {
            CarriedWrites.Settle(carried, null);
            return;
        }
        try
        {
            session.Commit();
        }
        catch (Exception error)
        {
            CarriedWrites.Settle(carried, error);
            throw;
        }
        Interlocked.Increment(ref _commits);
        CarriedWrites.Settle(carried, null);
    }

    private void CommitCarriedOnClose()
    {
        try
        {
            Commit(new WriteSession(_engine), carryAlways: true);
        }
        catch (Exception error) when (error is TenantStoreException or ObjectDisposedException or IOException)
        {
            // The carried writes were failed with this; what they recorded is repeated after the restart.
        }
    }

    /// <summary>Commits the carried writes still waiting, alone (their deadline passed, or a caller needs them now).</summary>
    internal async Task CommitCarriedAsync(CancellationToken cancellationToken)
    {
        if (_carried.IsEmpty || _disposed)
        {
            return;
        }
        await WriteAsync(_ => true, cancellationToken, carryAlways: true).ConfigureAwait(false);
    }

    private void EnsureUsableForWrite()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ActiveUnitOfWork.Value == this)
        {
            throw new InvalidOperationException("Inside a unit of work, write through the stores it hands out; the store's own writers would wait for the unit of work to end.");
        }
    }

    private sealed class BoundStores(TransactionSessionSource source) : IUnitOfWorkStores
    {
        public ICredentialsStore Credentials { get; } = new LiteCredentialsStore(source);
        public ILidMapStore LidMap { get; } = new LiteLidMapStore(source);
        public IDeviceListStore DeviceLists { get; } = new LiteDeviceListStore(source);
        public IMessageRecordStore Messages { get; } = new LiteMessageRecordStore(source);
        public IWebhookOutbox Outbox { get; } = new LiteWebhookOutbox(source);
        public SignalStores Signal { get; } = LiteSignalStores.Create(source);

        public Task<T> IsolateAsync<T>(Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken) =>
            source.IsolateAsync(step, cancellationToken);
    }
}
