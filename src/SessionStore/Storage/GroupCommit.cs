using System.Runtime.ExceptionServices;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// A tenant's writers, run one at a time, sharing commits. A writer that finishes while others wait for their turn
/// does not commit: its changes stay pending, the next writer starts from them (so it reads them as if committed),
/// and the last writer of the queue (or the one that fills the batch) commits them all in one LiteDB transaction.
/// Every writer's task completes only once its changes are committed, as before; under load a tenant pays one
/// commit, one log write and one share of the checkpoints for many writes, and a document written by several of
/// them (a Signal session, a sequence) is written once.
/// Nobody waits for another writer's I/O: a writer whose work goes asynchronous (a network round trip inside a
/// unit of work) first commits what is pending, so the finished writers are released before it awaits anything.
/// </summary>
internal sealed class GroupCommit(StoreEngine engine)
{
    /// <summary>At most this many writers share one commit, so a long queue still commits regularly.</summary>
    public const int MaxBatch = 32;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Batch? _pending; // guarded by the gate
    private int _queued;     // writers waiting for the gate

    /// <summary>
    /// Runs <paramref name="work"/> on a session that starts from the pending changes and returns once what it wrote
    /// (with them) is committed. If the work throws or <paramref name="cancellationToken"/> fires before it joins a
    /// batch, nothing it wrote is kept.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<WriteSession, Task<T>> work, Action checkUsable, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queued);
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _queued);
            FlushIfAbandoned();
            throw;
        }
        Interlocked.Decrement(ref _queued);

        Task? committed = null;
        T result;
        try
        {
            checkUsable();
            var basedOn = _pending;
            var session = basedOn?.Session.Fork() ?? new WriteSession(engine);
            var running = work(session);
            Exception? baseFailure = null;
            if (!running.IsCompleted && basedOn is not null)
            {
                baseFailure = CommitPending();
            }
            result = await running.ConfigureAwait(false);
            if (baseFailure is not null)
            {
                // This writer read changes that did not commit: what it did cannot stand either.
                ExceptionDispatchInfo.Throw(baseFailure);
            }
            cancellationToken.ThrowIfCancellationRequested();
            committed = Join(session, basedOn);
        }
        finally
        {
            if (_pending is { } pending && (Interlocked.CompareExchange(ref _queued, 0, 0) == 0 || pending.Count >= MaxBatch))
            {
                CommitPending();
            }
            _gate.Release();
        }
        if (committed is not null)
        {
            await committed.ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>Runs <paramref name="action"/> alone, after every pending change is committed (backup, close).</summary>
    public async Task ExclusiveAsync(Func<Task> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CommitPending();
            await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc cref="ExclusiveAsync"/>
    public void Exclusive(Action action)
    {
        _gate.Wait();
        try
        {
            CommitPending();
            action();
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task? Join(WriteSession session, Batch? basedOn)
    {
        if (!session.HasChanges)
        {
            return null;
        }
        // The session holds the pending changes it started from (if they are still pending) and its own.
        var batch = basedOn is not null && ReferenceEquals(basedOn, _pending) ? basedOn : new Batch(session);
        batch.Add(session);
        Volatile.Write(ref _pending, batch);
        return batch.Committed;
    }

    /// <summary>Commits the pending batch, if any, and completes its writers; returns the failure they got, if any.</summary>
    private Exception? CommitPending()
    {
        var batch = Interlocked.Exchange(ref _pending, null);
        if (batch is null)
        {
            return null;
        }
        try
        {
            batch.Session.Commit();
            batch.Complete(null);
            return null;
        }
        catch (Exception error)
        {
            batch.Complete(error);
            return error;
        }
    }

    // A writer that gave up waiting may have been the one the last holder of the gate counted on to commit.
    private void FlushIfAbandoned()
    {
        if (Volatile.Read(ref _pending) is not null)
        {
            _ = FlushAsync();
        }
    }

    private async Task FlushAsync()
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (Interlocked.CompareExchange(ref _queued, 0, 0) == 0)
            {
                CommitPending();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class Batch(WriteSession first)
    {
        private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public WriteSession Session { get; private set; } = first;

        public int Count { get; private set; }

        public Task Committed => _committed.Task;

        public void Add(WriteSession session)
        {
            Session = session;
            Count++;
        }

        public void Complete(Exception? error)
        {
            if (error is null)
            {
                _committed.TrySetResult();
            }
            else
            {
                _committed.TrySetException(error);
            }
        }
    }
}
