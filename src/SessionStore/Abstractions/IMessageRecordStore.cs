namespace Gateway.SessionStore.Abstractions;

/// <summary>Message records of one tenant, looked up by message id or by the caller's idempotency key.</summary>
public interface IMessageRecordStore
{
    /// <summary>
    /// Inserts or replaces records by id. Throws <see cref="InvalidOperationException"/> (and stores none of the
    /// batch) when an idempotency key already belongs to another message.
    /// </summary>
    Task PutAsync(IReadOnlyCollection<MessageRecord> records, CancellationToken cancellationToken);

    Task<MessageRecord?> GetByIdAsync(string id, CancellationToken cancellationToken);

    Task<MessageRecord?> GetByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The record a provider's status report names by the provider's own message id.</summary>
    Task<MessageRecord?> GetByProviderMessageIdAsync(string providerMessageId, CancellationToken cancellationToken);

    /// <summary>
    /// Applies the updates that move a status forward (<see cref="MessageStatusRules.CanMove"/>); unknown ids and
    /// backward moves are ignored. Returns how many records changed.
    /// </summary>
    Task<int> UpdateStatusAsync(IReadOnlyCollection<MessageStatusUpdate> updates, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes, in one unit of work, at most <paramref name="max"/> settled records (<see cref="MessageStatusRules.IsSettled"/>)
    /// last updated before <paramref name="updatedBefore"/>, oldest first; records in flight stay. Returns how many it
    /// deleted. A pruned record's idempotency key is forgotten with it.
    /// </summary>
    Task<int> PruneAsync(DateTimeOffset updatedBefore, int max, CancellationToken cancellationToken);
}
