namespace Gateway.SessionStore.Abstractions;

public enum OutboxEventState
{
    Pending = 1,
    Delivered = 2,
    DeadLettered = 3,
}

/// <summary>A webhook event to append; <see cref="EventId"/> becomes the webhook-id header and is unique per tenant.</summary>
public sealed record NewOutboxEvent(string EventId, string EventType, byte[] Payload, DateTimeOffset CreatedAt);

/// <summary>One webhook event in a tenant's outbox. <see cref="Sequence"/> is the delivery order.</summary>
public sealed record OutboxEvent
{
    public required long Sequence { get; init; }
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public required byte[] Payload { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required OutboxEventState State { get; init; }
    public required int Attempts { get; init; }

    /// <summary>When the dispatcher may try again; the creation time until the first failure.</summary>
    public required DateTimeOffset NextAttemptAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Why the last attempt failed (status code or transport fault), never a response body.</summary>
    public string? LastError { get; init; }
}

public enum DeliveryOutcome
{
    Delivered = 1,
    Failed = 2,
    DeadLettered = 3,
    Requeued = 4,
}

/// <summary>One line of the delivery log: what happened to an event at one time.</summary>
public sealed record DeliveryLogEntry(long Sequence, string EventId, DateTimeOffset At, DeliveryOutcome Outcome, int? StatusCode, string? Error);

/// <summary>The result of one failed delivery attempt.</summary>
public sealed record OutboxFailure(long Sequence, DateTimeOffset At, DateTimeOffset NextAttemptAt, int? StatusCode, string Error);

/// <summary>
/// The cutoffs of one outbox prune. Dead letters have their own, usually longer, so a user can still inspect and
/// redeliver them after delivered events are gone. The delivery log follows the delivered cutoff: a dead letter
/// keeps its last error on the event itself. Pending events created before <see cref="PendingBefore"/> are dropped:
/// an event still pending that long never had a webhook to go to (one that fails is dead-lettered within its retry
/// budget). <see cref="DateTimeOffset.MinValue"/> keeps everything of that kind.
/// </summary>
public sealed record OutboxRetention(DateTimeOffset DeliveredBefore, DateTimeOffset DeadLetteredBefore, DateTimeOffset PendingBefore = default);
