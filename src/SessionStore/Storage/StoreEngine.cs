using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// The LiteDB engine over one tenant's files, used one operation at a time and closed while the tenant is idle.
/// LiteDB grows an engine's page cache in segments (up to megabytes) and never gives a segment back while the engine
/// is open, so an idle tenant would keep whatever its busiest moment needed for as long as it stays connected;
/// closing the engine after <see cref="TenantStoreOptions.IdleClose"/> without use gives that memory back, and the
/// next operation opens it again over the same files (a few hundred microseconds). One lock serialises reads,
/// commits and the close: LiteDB's own cache recycling has raced with concurrent readers ("Page type must be data
/// page"), and a tenant's operations are short and few at a time, so there is nothing to gain from running them side
/// by side. Nothing here awaits while holding the lock.
/// </summary>
internal sealed class StoreEngine : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TenantFiles _files;
    private readonly string _tenantId;
    private readonly string? _key;
    private readonly TimeProvider _time;
    private readonly TimeSpan? _idleClose;
    private readonly Action? _closed;
    private readonly ITimer? _idleTimer;
    private LiteDatabase? _database;
    private LogWriteFence? _fence;
    private ReadSession? _reader;
    private DateTimeOffset _lastUse;
    private bool _disposed;
    private long _closedFileReads;

    /// <param name="database">The engine the opener made (and migrated) over <paramref name="files"/>; owned from now on.</param>
    public StoreEngine(TenantFiles files, LiteDatabase database, string tenantId, string? key, TimeProvider time, TimeSpan? idleClose, Action? closed)
    {
        _closed = closed;
        _files = files;
        _tenantId = tenantId;
        _key = key;
        _time = time;
        _idleClose = idleClose;
        Attach(database);
        if (idleClose is { } idle)
        {
            // Checked a few times per period, so an engine closes between one and one and a quarter periods after its last use.
            var check = idle / 4;
            _idleTimer = time.CreateTimer(_ => CloseIfIdle(), null, check, check);
        }
    }

    /// <summary>Whether the engine is open now (tests and diagnostics).</summary>
    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _database is not null;
            }
        }
    }

    /// <summary>How many times the engine was opened again after an idle close.</summary>
    public int Reopens { get; private set; }

    /// <summary>How many reads of committed state were asked for, answered from remembered documents or not (tests).</summary>
    public long Reads { get; private set; }

    /// <summary>Runs a read of committed state.</summary>
    public T Read<T>(Func<IStoreSession, T> read)
    {
        lock (_lock)
        {
            EnsureOpen();
            Reads++;
            return StoreErrors.Guard(_tenantId, () => read(_reader!));
        }
    }

    /// <summary>Runs <paramref name="use"/> on the open database (schema version, checkpoint).</summary>
    public T Use<T>(Func<LiteDatabase, T> use)
    {
        lock (_lock)
        {
            EnsureOpen();
            return StoreErrors.Guard(_tenantId, () => use(_database!));
        }
    }

    /// <summary>
    /// Applies <paramref name="apply"/> in one LiteDB transaction and returns once its pages are in the operating
    /// system's hands (and on the disk when the fsync policy says so). <paramref name="changes"/> is what it writes
    /// (null: deleted), for the reads by _id that follow.
    /// </summary>
    public void Commit(Action<LiteDatabase> apply, IEnumerable<KeyValuePair<(string Collection, BsonValue Id), BsonDocument?>> changes)
    {
        lock (_lock)
        {
            EnsureOpen();
            var database = _database!;
            var reader = _reader!;
            try
            {
                CommitLocked(database, apply);
            }
            catch
            {
                // Rolled back, or committed and then not fenced or synced: either way, read the file again.
                reader.Forget();
                throw;
            }

            reader.Committed(changes);
        }
    }

    /// <summary>How many reads went to LiteDB itself (not answered from the remembered documents) since the store opened.</summary>
    public long FileReads
    {
        get
        {
            lock (_lock)
            {
                return _closedFileReads + (_reader?.FileReads ?? 0);
            }
        }
    }

    /// <summary>How many documents the open engine remembers (tests); 0 when closed.</summary>
    public int RememberedDocuments
    {
        get
        {
            lock (_lock)
            {
                return _reader?.Remembered ?? 0;
            }
        }
    }

    private void CommitLocked(LiteDatabase database, Action<LiteDatabase> apply) =>
        StoreErrors.Guard(_tenantId, () =>
        {
            // LiteDB binds a transaction to its thread; under this lock it begins and ends on this one.
            if (!database.BeginTrans())
            {
                throw new InvalidOperationException("A LiteDB transaction is already open on this thread.");
            }
            try
            {
                apply(database);
                database.Commit();
            }
            catch
            {
                database.Rollback();
                throw;
            }
            _fence!.WaitForQueuedWrites();
            _files.AfterCommit();
            return true;
        });

    /// <summary>Closes the engine when nothing used it for the idle period; the next operation opens it again.</summary>
    public bool CloseIfIdle()
    {
        if (!TryCloseIfIdle())
        {
            return false;
        }
        _closed?.Invoke();
        return true;
    }

    /// <summary>Closes the engine (LiteDB folds its log into the data file); the files stay with their owner.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _idleTimer?.Dispose();
            if (_database is not null)
            {
                CloseEngine();
            }
        }
    }

    private bool TryCloseIfIdle()
    {
        if (_idleClose is not { } idle || !_lock.TryEnter())
        {
            return false; // busy right now, so not idle
        }
        try
        {
            if (_disposed || _database is null || _time.GetUtcNow() - _lastUse < idle)
            {
                return false;
            }
            CloseEngine();
            return true;
        }
        catch (Exception ex) when (ex is LiteException or IOException)
        {
            // Runs on a timer thread with nobody to tell: the engine is dropped either way, and the next open replays
            // whatever log the close did not fold in (or reports the file as damaged to a caller who can act).
            return true;
        }
        finally
        {
            _lock.Exit();
        }
    }

    private void EnsureOpen()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _lastUse = _time.GetUtcNow();
        if (_database is not null)
        {
            return;
        }
        Attach(DatabaseOpener.Open(_files, _tenantId, _key));
        Reopens++;
    }

    private void Attach(LiteDatabase database)
    {
        _database = database;
        _fence = LogWriteFence.For(database);
        _reader = new ReadSession(database);
        _lastUse = _time.GetUtcNow();
    }

    private void CloseEngine()
    {
        var database = _database!;
        _database = null;
        _fence = null;
        _closedFileReads += _reader?.FileReads ?? 0;
        _reader = null;
        // LiteDB checkpoints on close; a failure leaves the log as it is, and the next open replays it.
        database.Dispose();
    }
}
