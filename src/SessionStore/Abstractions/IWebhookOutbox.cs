namespace Gateway.SessionStore.Abstractions;

/// <summary>
/// A tenant's ordered webhook outbox with its dead letters and delivery log. Only pending events change state;
/// operations on events that are not pending (or unknown) are ignored and not counted.
/// </summary>
public interface IWebhookOutbox
{
    /// <summary>
    /// Appends events in the given order and returns their sequence numbers. An event whose id is already in the
    /// outbox is not appended again: its existing sequence number is returned.
    /// </summary>
    Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewOutboxEvent> events, CancellationToken cancellationToken);

    /// <summary>The oldest pending events, in sequence order, whether or not their next attempt is due.</summary>
    Task<IReadOnlyList<OutboxEvent>> ReadPendingAsync(int max, CancellationToken cancellationToken);


    Task<OutboxEvent?> GetAsync(long sequence, CancellationToken cancellationToken);

    Task<int> MarkDeliveredAsync(IReadOnlyCollection<long> sequences, DateTimeOffset at, int? statusCode, CancellationToken cancellationToken);


    Task<int> RecordFailuresAsync(IReadOnlyCollection<OutboxFailure> failures, CancellationToken cancellationToken);

    /// <summary>Moves pending events out of the delivery order once the retry budget is spent.</summary>
    Task<int> DeadLetterAsync(IReadOnlyCollection<long> sequences, DateTimeOffset at, string reason, CancellationToken cancellationToken);

    /// <summary>Dead-lettered events, oldest first.</summary>
    Task<IReadOnlyList<OutboxEvent>> ReadDeadLettersAsync(int max, CancellationToken cancellationToken);

    /// <summary>Puts a delivered or dead-lettered event back in the queue (redeliver); returns whether it moved.</summary>
    Task<bool> RequeueAsync(long sequence, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The newest delivery-log entries first, for one event or (sequence null) for the whole outbox.</summary>
    Task<IReadOnlyList<DeliveryLogEntry>> ReadDeliveryLogAsync(long? sequence, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes, in one unit of work of at most <paramref name="max"/> documents, delivered events that finished
    /// before <see cref="OutboxRetention.DeliveredBefore"/>, dead letters that finished before
    /// <see cref="OutboxRetention.DeadLetteredBefore"/> and delivery-log entries written before
    /// <see cref="OutboxRetention.DeliveredBefore"/>, oldest first; returns how many it deleted (fewer than
    /// <paramref name="max"/>: nothing older is left). Pending events go only when they were created before
    /// <see cref="OutboxRetention.PendingBefore"/>. A pruned event's id is forgotten: appending it again makes a new event.
    /// </summary>
    Task<int> PruneAsync(OutboxRetention retention, int max, CancellationToken cancellationToken);
}
