namespace Gateway.SessionStore.Abstractions;

/// <summary>
/// Receipts arrive out of order (a read receipt can overtake the delivery receipt) and may repeat, so a status
/// only ever moves forward; every <see cref="IMessageRecordStore"/> applies this same rule.
/// </summary>
public static class MessageStatusRules
{
    public static bool CanMove(MessageStatus from, MessageStatus to) => (from, to) switch
    {
        (MessageStatus.Received, _) or (_, MessageStatus.Received) => false,
        (MessageStatus.Failed, _) => false,
        (MessageStatus.Read, _) => false,
        // A message the server has acked can still fail (for example a later error receipt) until delivered.
        (_, MessageStatus.Failed) => from is MessageStatus.Queued or MessageStatus.Sent,
        _ => to > from,
    };

    /// <summary>
    /// Whether a record no longer waits on the network, so retention may delete it: read, failed and received never
    /// change again, and delivered counts too (many recipients turn read receipts off, so a delivered message may
    /// never move again; a late read receipt for a pruned record is ignored like any unknown id). Queued and sent
    /// messages are in flight and kept. LiteMessageRecordStore's settled index (schema v5) encodes this same set as
    /// "status number 3 or more".
    /// </summary>
    public static bool IsSettled(MessageStatus status) =>
        status is MessageStatus.Delivered or MessageStatus.Read or MessageStatus.Failed or MessageStatus.Received;

    public static void Validate(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(record.Id, nameof(record));
        ArgumentException.ThrowIfNullOrEmpty(record.Chat, nameof(record));
        if (!Enum.IsDefined(record.Direction) || !Enum.IsDefined(record.Status))
        {
            throw new ArgumentException("Unknown direction or status.", nameof(record));
        }
        if (record.IdempotencyKey is { Length: 0 })
        {
            throw new ArgumentException("An idempotency key, when given, is not empty.", nameof(record));
        }
    }
}
