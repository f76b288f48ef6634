namespace Gateway.SessionStore.Storage;

/// <summary>
/// A tenant's data file and log file, opened by us and handed to LiteDB, with the fsync policy applied to them.
/// The data file is forced to the disk whenever LiteDB flushes it (only when a checkpoint has copied the log into
/// it, or the file is new): a checkpoint empties the log next, so the copy must be on the disk first. The log is
/// never forced by LiteDB's flush; <see cref="AfterCommit"/> forces it under <see cref="FsyncPolicy.Always"/>, a
/// timer at most one period after the first unsynced write otherwise, and <see cref="Dispose"/> always.
/// </summary>
internal sealed class TenantFiles : IDisposable
{
    private readonly FsyncPolicy _policy;
    private readonly ITimer? _timer;
    private readonly Lock _closeLock = new();
    private int _armed;
    private bool _closed;

    private TenantFiles(TenantPaths paths, FsyncPolicy policy, TimeProvider time)
    {
        _policy = policy;
        if (policy.Period is not null)
        {
            _timer = time.CreateTimer(_ => SyncDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        Data = TenantFileStream.Open(paths.Database, syncOnFlush: true, syncOnShrink: true, Schedule);
        try
        {
            Log = TenantFileStream.Open(paths.Log, syncOnFlush: false, syncOnShrink: true, Schedule);
        }
        catch
        {
            Data.CloseFile();
            _timer?.Dispose();
            throw;
        }
    }

    public TenantFileStream Data { get; }

    public TenantFileStream Log { get; }

    public static TenantFiles Open(TenantPaths paths, FsyncPolicy policy, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        return new TenantFiles(paths, policy, time);
    }

    /// <summary>Called once a commit's pages are in the log file: under Always, forces them to the disk before the commit returns.</summary>
    public void AfterCommit()
    {
        if (_policy.IsAlways)
        {
            Log.Sync();
        }
        // A failed interval fsync fails the commits after it: the caller must not ack on a file whose durability is unknown.
        Log.ThrowIfSyncFailed();
        Data.ThrowIfSyncFailed();
    }

    /// <summary>Closes both files after syncing what is left; LiteDB must be closed first.</summary>
    public void Dispose()
    {
        lock (_closeLock)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
        }
        _timer?.Dispose();
        try
        {
            Log.CloseFile();
        }
        finally
        {
            Data.CloseFile();
        }
    }

    // The first write after a sync arms the timer once; a later write before it fires rides along.
    private void Schedule()
    {
        if (_timer is null || Interlocked.Exchange(ref _armed, 1) != 0)
        {
            return;
        }
        lock (_closeLock)
        {
            if (!_closed)
            {
                _timer.Change(_policy.Period!.Value, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void SyncDue()
    {
        // Disarm before syncing: a write that lands during the sync arms the next one.
        Volatile.Write(ref _armed, 0);
        try
        {
            Log.Sync();
            Data.Sync();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The stream keeps the failure and throws it to the next commit (AfterCommit); a timer thread has
            // nobody to tell.
        }
    }
}
