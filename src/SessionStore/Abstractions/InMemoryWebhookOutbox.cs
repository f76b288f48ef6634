namespace Gateway.SessionStore.Abstractions;

/// <summary>Process-lifetime outbox, for tests.</summary>
public sealed class InMemoryWebhookOutbox : IWebhookOutbox
{
    private readonly Lock _sync = new();
    private readonly SortedDictionary<long, OutboxEvent> _events = [];
    private readonly Dictionary<string, long> _sequenceByEventId = new(StringComparer.Ordinal);
    private readonly List<DeliveryLogEntry> _log = [];
    private long _lastSequence;

    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewOutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var item in events)
        {
            OutboxRules.Validate(item);
        }
        cancellationToken.ThrowIfCancellationRequested();
        var sequences = new long[events.Count];
        lock (_sync)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var item = events[i];
                if (_sequenceByEventId.TryGetValue(item.EventId, out var existing))
                {
                    sequences[i] = existing;
                    continue;
                }
                var sequence = ++_lastSequence;
                _events[sequence] = new OutboxEvent
                {
                    Sequence = sequence,
                    EventId = item.EventId,
                    EventType = item.EventType,
                    Payload = item.Payload.ToArray(),
                    CreatedAt = item.CreatedAt,
                    State = OutboxEventState.Pending,
                    Attempts = 0,
                    NextAttemptAt = item.CreatedAt,
                };
                _sequenceByEventId[item.EventId] = sequence;
                sequences[i] = sequence;
            }
        }
        return Task.FromResult<IReadOnlyList<long>>(sequences);
    }

    public Task<IReadOnlyList<OutboxEvent>> ReadPendingAsync(int max, CancellationToken cancellationToken) =>
        Read(OutboxEventState.Pending, max, cancellationToken);

    public Task<IReadOnlyList<OutboxEvent>> ReadDeadLettersAsync(int max, CancellationToken cancellationToken) =>
        Read(OutboxEventState.DeadLettered, max, cancellationToken);

    public Task<OutboxEvent?> GetAsync(long sequence, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            return Task.FromResult(_events.GetValueOrDefault(sequence));
        }
    }

    public Task<int> MarkDeliveredAsync(IReadOnlyCollection<long> sequences, DateTimeOffset at, int? statusCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            return Task.FromResult(ChangePending(sequences, e => e with
            {
                State = OutboxEventState.Delivered,
                Attempts = e.Attempts + 1,
                FinishedAt = at,
            }, e => new DeliveryLogEntry(e.Sequence, e.EventId, at, DeliveryOutcome.Delivered, statusCode, null)));
        }
    }

    public Task<int> RecordFailuresAsync(IReadOnlyCollection<OutboxFailure> failures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failures);
        cancellationToken.ThrowIfCancellationRequested();
        var changed = 0;
        lock (_sync)
        {
            foreach (var failure in failures)
            {
                ArgumentNullException.ThrowIfNull(failure, nameof(failures));
                var error = OutboxRules.Clip(failure.Error);
                changed += ChangePending([failure.Sequence], e => e with
                {
                    Attempts = e.Attempts + 1,
                    NextAttemptAt = failure.NextAttemptAt,
                    LastError = error,
                }, e => new DeliveryLogEntry(e.Sequence, e.EventId, failure.At, DeliveryOutcome.Failed, failure.StatusCode, error));
            }
        }
        return Task.FromResult(changed);
    }

    public Task<int> DeadLetterAsync(IReadOnlyCollection<long> sequences, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var clipped = OutboxRules.Clip(reason);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            return Task.FromResult(ChangePending(sequences, e => e with
            {
                State = OutboxEventState.DeadLettered,
                FinishedAt = at,
                LastError = clipped,
            }, e => new DeliveryLogEntry(e.Sequence, e.EventId, at, DeliveryOutcome.DeadLettered, null, clipped)));
        }
    }

    public Task<bool> RequeueAsync(long sequence, DateTimeOffset at, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            if (!_events.TryGetValue(sequence, out var e) || e.State == OutboxEventState.Pending)
            {
                return Task.FromResult(false);
            }
            _events[sequence] = e with { State = OutboxEventState.Pending, NextAttemptAt = at, FinishedAt = null };
            _log.Add(new DeliveryLogEntry(sequence, e.EventId, at, DeliveryOutcome.Requeued, null, null));
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<DeliveryLogEntry>> ReadDeliveryLogAsync(long? sequence, int max, CancellationToken cancellationToken)
    {
        OutboxRules.ValidateMax(max);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            IReadOnlyList<DeliveryLogEntry> entries = Enumerable.Reverse(_log)
                .Where(entry => sequence is null || entry.Sequence == sequence)
                .Take(max)
                .ToList();
            return Task.FromResult(entries);
        }
    }

    public Task<int> PruneAsync(OutboxRetention retention, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retention);
        OutboxRules.ValidateMax(max);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            var events = _events.Values
                .Where(e => e.FinishedAt < (e.State switch
                {
                    OutboxEventState.Delivered => retention.DeliveredBefore,
                    OutboxEventState.DeadLettered => retention.DeadLetteredBefore,
                    _ => DateTimeOffset.MinValue,
                }))
                .OrderBy(e => e.State)
                .ThenBy(e => e.FinishedAt)
                .Concat(_events.Values.Where(e => e.State == OutboxEventState.Pending).OrderBy(e => e.Sequence).TakeWhile(e => e.CreatedAt < retention.PendingBefore))
                .Take(max)
                .ToList();
            foreach (var e in events)
            {
                _events.Remove(e.Sequence);
                _sequenceByEventId.Remove(e.EventId);
            }
            // The log is appended in time order, so its old entries are its first ones.
            var entries = _log.Take(max - events.Count).TakeWhile(entry => entry.At < retention.DeliveredBefore).Count();
            _log.RemoveRange(0, entries);
            return Task.FromResult(events.Count + entries);
        }
    }

    private Task<IReadOnlyList<OutboxEvent>> Read(OutboxEventState state, int max, CancellationToken cancellationToken)
    {
        OutboxRules.ValidateMax(max);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            IReadOnlyList<OutboxEvent> events = _events.Values.Where(e => e.State == state).Take(max).ToList();
            return Task.FromResult(events);
        }
    }

    private int ChangePending(IEnumerable<long> sequences, Func<OutboxEvent, OutboxEvent> change, Func<OutboxEvent, DeliveryLogEntry> logEntry)
    {
        var changed = 0;
        foreach (var sequence in sequences.Distinct())
        {
            if (_events.TryGetValue(sequence, out var e) && e.State == OutboxEventState.Pending)
            {
                _events[sequence] = change(e);
                _log.Add(logEntry(e));
                changed++;
            }
        }
        return changed;
    }
}
