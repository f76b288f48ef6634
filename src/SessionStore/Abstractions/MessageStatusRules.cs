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
