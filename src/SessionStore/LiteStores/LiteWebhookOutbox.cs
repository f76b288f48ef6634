using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using LiteDB;

namespace Gateway.SessionStore.LiteStores;

/// <summary>
/// Events keyed by their sequence number (so _id order is delivery order); the log is its own collection. The store's
/// own outbox carries delivery records on other commits (<paramref name="carried"/>); one inside a unit of work
/// writes them into it.
/// </summary>
internal sealed partial class LiteWebhookOutbox(IStoreSessionSource source, CarriedWrites? carried = null) : IWebhookOutbox
{
    private static readonly FieldEquals EventId = new("eid");
    private static readonly IndexedRange Retained = new(OutboxDocuments.RetentionKey);
    private static readonly IndexedRange PendingRange = new(OutboxDocuments.PendingKey);
    private static readonly FieldEquals LogSequence = new("seq");

    // Every pending event has a pending key (its sequence, from 1); no other event has one.
    private static readonly ThreadLocal<BsonExpression> IsPending = new(() => BsonExpression.Create($"$.{OutboxDocuments.PendingKey} >= 1"));

    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewOutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var item in events)
        {
            OutboxRules.Validate(item);
        }
        return source.WriteAsync<IReadOnlyList<long>>(session =>
        {
            var sequences = new long[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                var item = events[i];
                if (session.Find(Collections.Outbox, ByEventId(item.EventId), 1) is [var existing])
                {
                    sequences[i] = existing["_id"].AsInt64;
                    continue;
                }
                var sequence = Sequences.Next(session, Sequences.Outbox);
                session.Insert(Collections.Outbox, OutboxDocuments.ToDocument(new OutboxEvent
                {
                    Sequence = sequence,
                    EventId = item.EventId,
                    EventType = item.EventType,
                    Payload = item.Payload,
                    CreatedAt = item.CreatedAt,
                    State = OutboxEventState.Pending,
                    Attempts = 0,
                    NextAttemptAt = item.CreatedAt,
                }));
                sequences[i] = sequence;
            }
            return sequences;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<OutboxEvent>> ReadPendingAsync(int max, CancellationToken cancellationToken)
    {
        OutboxRules.ValidateMax(max);
        return source.ReadAsync<IReadOnlyList<OutboxEvent>>(
            session => session.Find(Collections.Outbox, IsPending.Value, max, indexOrder: OutboxDocuments.PendingOrder).Select(OutboxDocuments.FromDocument).ToList(),
            cancellationToken);
    }

    public Task<IReadOnlyList<OutboxEvent>> ReadPendingAfterAsync(long sequence, int max, CancellationToken cancellationToken)
    {
        OutboxRules.ValidateMax(max);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        return source.ReadAsync<IReadOnlyList<OutboxEvent>>(
            session => session.Find(Collections.Outbox, PendingRange.For(sequence + 1, long.MaxValue), max, indexOrder: OutboxDocuments.PendingOrder)
                .Select(OutboxDocuments.FromDocument).ToList(),
            cancellationToken);
    }

    public Task<IReadOnlyList<OutboxEvent>> ReadDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        OutboxRules.ValidateMax(max);
        // Every dead letter's retention key lies above the base; they are few (their retention bounds them), so they
        // are sorted by sequence after the index found them.
        return source.ReadAsync<IReadOnlyList<OutboxEvent>>(
            session => session.Find(Collections.Outbox, Retained.For(OutboxDocuments.DeadLetteredBase + 1, long.MaxValue), max).Select(OutboxDocuments.FromDocument).ToList(),
            cancellationToken);
    }

    public Task<OutboxEvent?> GetAsync(long sequence, CancellationToken cancellationToken) =>
        source.ReadAsync(session => session.Get(Collections.Outbox, sequence) is { } doc ? OutboxDocuments.FromDocument(doc) : null, cancellationToken);

    public Task<int> MarkDeliveredAsync(IReadOnlyCollection<long> sequences, DateTimeOffset at, int? statusCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        return source.WriteAsync(session => MarkDelivered(session, sequences, at, statusCode), cancellationToken);
    }

    public Task MarkDeliveredSoonAsync(IReadOnlyCollection<long> sequences, DateTimeOffset at, int? statusCode, TimeSpan within, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(within, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        if (carried is null)
        {
            return MarkDeliveredAsync(sequences, at, statusCode, cancellationToken);
        }
        var copy = sequences.ToArray(); // the caller may reuse its collection before the write is carried
        return carried.Add(session => MarkDelivered(session, copy, at, statusCode), within);
    }

    public Task FlushAsync(CancellationToken cancellationToken) => carried?.CommitWaitingAsync(cancellationToken) ?? Task.CompletedTask;

    private static int MarkDelivered(IStoreSession session, IReadOnlyCollection<long> sequences, DateTimeOffset at, int? statusCode) =>
        sequences.Distinct().Count(sequence => ChangePending(session, sequence,
            e => e with { State = OutboxEventState.Delivered, Attempts = e.Attempts + 1, FinishedAt = at },
            e => new DeliveryLogEntry(e.Sequence, e.EventId, at, DeliveryOutcome.Delivered, statusCode, null)));

    public Task<int> RecordFailuresAsync(IReadOnlyCollection<OutboxFailure> failures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failures);
        foreach (var failure in failures)
        {
            ArgumentNullException.ThrowIfNull(failure, nameof(failures));
        }
        return source.WriteAsync(session => failures.Count(failure =>
        {
            var error = OutboxRules.Clip(failure.Error);
            return ChangePending(session, failure.Sequence,
                e => e with { Attempts = e.Attempts + 1, NextAttemptAt = failure.NextAttemptAt, LastError = error },
                e => new DeliveryLogEntry(e.Sequence, e.EventId, failure.At, DeliveryOutcome.Failed, failure.StatusCode, error));
        }), cancellationToken);
    }

    public Task<int> DeadLetterAsync(IReadOnlyCollection<long> sequences, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var clipped = OutboxRules.Clip(reason);
        return source.WriteAsync(session => sequences.Distinct().Count(sequence => ChangePending(session, sequence,
            e => e with { State = OutboxEventState.DeadLettered, FinishedAt = at, LastError = clipped },
            e => new DeliveryLogEntry(e.Sequence, e.EventId, at, DeliveryOutcome.DeadLettered, null, clipped))), cancellationToken);
    }

    public Task<bool> RequeueAsync(long sequence, DateTimeOffset at, CancellationToken cancellationToken) =>
        source.WriteAsync(session =>
        {
            if (session.Get(Collections.Outbox, sequence) is not { } doc)
            {
                return false;
            }
            var e = OutboxDocuments.FromDocument(doc);
            if (e.State == OutboxEventState.Pending)
            {
                return false;
            }
            session.Upsert(Collections.Outbox, OutboxDocuments.ToDocument(e with { State = OutboxEventState.Pending, NextAttemptAt = at, FinishedAt = null }));
            AppendLog(session, new DeliveryLogEntry(sequence, e.EventId, at, DeliveryOutcome.Requeued, null, null));
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<DeliveryLogEntry>> ReadDeliveryLogAsync(long? sequence, int max, CancellationToken cancellationToken)
    {
        OutboxRules.ValidateMax(max);
        return source.ReadAsync<IReadOnlyList<DeliveryLogEntry>>(
            session => session.Find(Collections.DeliveryLog, sequence is { } s ? LogSequence.For(s) : null, max, descending: true).Select(OutboxDocuments.LogFromDocument).ToList(),
            cancellationToken);
    }

    private static bool ChangePending(IStoreSession session, long sequence, Func<OutboxEvent, OutboxEvent> change, Func<OutboxEvent, DeliveryLogEntry> logEntry)
    {
        if (session.Get(Collections.Outbox, sequence) is not { } doc)
        {
            return false;
        }
        var e = OutboxDocuments.FromDocument(doc);
        if (e.State != OutboxEventState.Pending)
        {
            return false;
        }
        session.Upsert(Collections.Outbox, OutboxDocuments.ToDocument(change(e)));
        AppendLog(session, logEntry(e));
        return true;
    }

    private static void AppendLog(IStoreSession session, DeliveryLogEntry entry) =>
        session.Insert(Collections.DeliveryLog, OutboxDocuments.ToDocument(Sequences.Next(session, Sequences.DeliveryLog), entry));

    private static BsonExpression ByEventId(string eventId) => EventId.For(eventId);
}
