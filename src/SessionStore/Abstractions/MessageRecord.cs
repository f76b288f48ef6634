namespace Gateway.SessionStore.Abstractions;

public enum MessageDirection
{
    Inbound = 1,
    Outbound = 2,
}

/// <summary>
/// Delivery state of a message. Outbound moves queued -> sent -> delivered -> read or ends in failed; inbound
/// records are stored as received. The numeric order is the order of progress (see <see cref="MessageStatusRules"/>).
/// </summary>
public enum MessageStatus
{
    Queued = 1,
    Sent = 2,
    Delivered = 3,
    Read = 4,
    Failed = 5,
    Received = 6,
}

/// <summary>What the gateway remembers about one message: never its content, only its identity and status.</summary>
public sealed record MessageRecord
{
    public required string Id { get; init; }
    public required MessageDirection Direction { get; init; }

    /// <summary>The chat JID (peer or group) the message belongs to.</summary>
    public required string Chat { get; init; }

    public required MessageStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The caller's Idempotency-Key for outbound sends; unique per tenant when present.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>A short machine-readable reason when <see cref="Status"/> is failed; never message content.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The provider's own id when it differs from <see cref="Id"/> (Cloud API wamid...); unique per tenant.</summary>
    public string? ProviderMessageId { get; init; }
}

/// <summary>A status change for one message, as carried by a server ack or a receipt.</summary>
public sealed record MessageStatusUpdate(string Id, MessageStatus Status, DateTimeOffset At, string? FailureReason = null);
