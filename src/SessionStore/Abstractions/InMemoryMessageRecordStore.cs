namespace Gateway.SessionStore.Abstractions;

/// <summary>Process-lifetime message records, for tests.</summary>
public sealed class InMemoryMessageRecordStore : IMessageRecordStore
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, MessageRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByKey = new(StringComparer.Ordinal);

    public Task PutAsync(IReadOnlyCollection<MessageRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            // Check the whole batch first so a conflict stores nothing.
            var batchKeys = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var record in records)
            {
                MessageStatusRules.Validate(record);
                if (record.IdempotencyKey is { } key
                    && ((_idByKey.TryGetValue(key, out var owner) && owner != record.Id)
                        || (batchKeys.TryGetValue(key, out var batchOwner) && batchOwner != record.Id)))
                {
                    throw new InvalidOperationException("The idempotency key already belongs to another message.");
                }
                if (record.IdempotencyKey is { } k)
                {
                    batchKeys[k] = record.Id;
                }
            }
            foreach (var record in records)
            {
                if (_byId.TryGetValue(record.Id, out var old) && old.IdempotencyKey is { } oldKey)
                {
                    _idByKey.Remove(oldKey);
                }
                _byId[record.Id] = record;
                if (record.IdempotencyKey is { } key)
                {
                    _idByKey[key] = record.Id;
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task<MessageRecord?> GetByIdAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            return Task.FromResult(_byId.GetValueOrDefault(id));
        }
    }

    public Task<MessageRecord?> GetByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            return Task.FromResult(_idByKey.TryGetValue(idempotencyKey, out var id) ? _byId.GetValueOrDefault(id) : null);
        }
    }

    public Task<MessageRecord?> GetByProviderMessageIdAsync(string providerMessageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerMessageId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            return Task.FromResult(_byId.Values.FirstOrDefault(r => r.ProviderMessageId == providerMessageId));
        }
    }

    public Task<int> UpdateStatusAsync(IReadOnlyCollection<MessageStatusUpdate> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        cancellationToken.ThrowIfCancellationRequested();
        var changed = 0;
        lock (_sync)
        {
            foreach (var update in updates)
            {
                ArgumentNullException.ThrowIfNull(update, nameof(updates));
                if (_byId.TryGetValue(update.Id, out var current) && MessageStatusRules.CanMove(current.Status, update.Status))
                {
                    _byId[update.Id] = current with { Status = update.Status, UpdatedAt = update.At, FailureReason = update.FailureReason };
                    changed++;
                }
            }
        }
        return Task.FromResult(changed);
    }

    public Task<int> PruneAsync(DateTimeOffset updatedBefore, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            var old = _byId.Values
                .Where(r => MessageStatusRules.IsSettled(r.Status) && r.UpdatedAt < updatedBefore)
                .OrderBy(r => r.UpdatedAt)
                .Take(max)
                .ToList();
            foreach (var record in old)
            {
                _byId.Remove(record.Id);
                if (record.IdempotencyKey is { } key)
                {
                    _idByKey.Remove(key);
                }
            }
            return Task.FromResult(old.Count);
        }
    }
}
