namespace Gateway.SessionStore.Storage;

/// <summary>
/// Writes that need not commit at once: the tenant's next unit of work that commits anyway carries them into its
/// transaction, and whatever is still waiting after its deadline commits alone. A commit costs far more than the few
/// documents it writes, and a tenant's writes come at different moments (a send, its ack, a receipt, an inbound
/// message), so a record that may wait a moment rides on one of them instead of paying for a commit of its own. Only
/// for records whose loss in a crash repeats work rather than loses it (a webhook delivery: the event goes out
/// again, and its webhook-id lets the receiver drop the repeat).
/// </summary>
internal sealed class CarriedWrites(Func<CancellationToken, Task> commitAlone, TimeProvider time)
{
    private readonly Lock _lock = new();
    private List<Entry> _waiting = [];
    private Exception? _closed;

    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count == 0;
            }
        }
    }

    /// <summary>Queues <paramref name="write"/>; the task completes once a commit holds it (or fails with the reason it could not).</summary>
    public Task Add(Action<IStoreSession> write, TimeSpan within)
    {
        var entry = new Entry(write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        bool first;
        lock (_lock)
        {
            if (_closed is { } reason)
            {
                return Task.FromException(reason);
            }

            first = _waiting.Count == 0;
            _waiting.Add(entry);
        }

        if (first)
        {
            // One deadline for a queue that was empty: later writes commit with the first, a little earlier than theirs.
            // Not in the caller's context: a caller inside a unit of work would make the later commit look nested.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => CommitAloneLaterAsync(within));
            }
        }

        return entry.Done.Task;
    }

    /// <summary>Commits what is waiting now, alone, and returns once that commit is done.</summary>
    public Task CommitWaitingAsync(CancellationToken cancellationToken) => IsEmpty ? Task.CompletedTask : commitAlone(cancellationToken);

    /// <summary>
    /// Applies every waiting write to <paramref name="session"/>, each undone alone if it throws (and failed with that
    /// exception); returns the applied ones, to <see cref="Settle"/> once the commit has succeeded or failed.
    /// </summary>
    public IReadOnlyList<Entry>? ApplyTo(WriteSession session)
    {
        List<Entry> taken;
        lock (_lock)
        {
            if (_waiting.Count == 0)
            {
                return null;
            }

            taken = _waiting;
            _waiting = [];
        }

        var applied = new List<Entry>(taken.Count);
        foreach (var entry in taken)
        {
            var savepoint = session.Savepoint();
            try
            {
                entry.Write(session);
                applied.Add(entry);
            }
            catch (Exception error)
            {
                session.RollbackTo(savepoint);
                entry.Done.TrySetException(error);
            }
        }

        return applied;
    }

    /// <summary>The store closed: writes still waiting (their last commit failed) and any added later fail with <paramref name="reason"/>.</summary>
    public void Close(Exception reason)
    {
        List<Entry> left;
        lock (_lock)
        {
            _closed = reason;
            left = _waiting;
            _waiting = [];
        }

        Settle(left, reason);
    }

    public static void Settle(IReadOnlyList<Entry>? applied, Exception? failure)
    {
        foreach (var entry in applied ?? [])
        {
            if (failure is null)
            {
                entry.Done.TrySetResult();
            }
            else
            {
                entry.Done.TrySetException(failure);
            }
        }
    }

    private async Task CommitAloneLaterAsync(TimeSpan within)
    {
        await Task.Delay(within, time).ConfigureAwait(false);
        try
        {
            await commitAlone(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The writes it took were failed with the reason; writes it could not take (the store closed) are failed
            // when the store closes. Nobody else awaits this task.
        }
    }

    internal sealed record Entry(Action<IStoreSession> Write, TaskCompletionSource Done);
}
