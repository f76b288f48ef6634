using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using LiteDB;

namespace Gateway.SessionStore.LiteStores;

internal sealed class LiteMessageRecordStore(IStoreSessionSource source) : IMessageRecordStore
{
    private static readonly FieldEquals IdempotencyKey = new("ikey");
    private static readonly FieldEquals ProviderMessageId = new("pid");

    /// <summary>
    /// Retention key (schema v5): the last update of a settled record (<see cref="MessageStatusRules.IsSettled"/>),
    /// null while in flight. A plain field, for the reason given at <see cref="OutboxDocuments.RetentionKey"/>.
    /// </summary>
    internal const string SettledKey = "sk";

    private static readonly IndexedRange SettledBefore = new(SettledKey);

    public Task PutAsync(IReadOnlyCollection<MessageRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            MessageStatusRules.Validate(record);
        }
        return source.WriteAsync(session =>
        {
            // Checked inside the write (the session sees this batch's earlier records), so a conflict anywhere
            // throws before the unit of work commits and nothing of the batch is kept.
            foreach (var record in records)
            {
                if (record.IdempotencyKey is { } key
                    && session.Find(Collections.Messages, ByKey(key), 2).Any(doc => doc["_id"].AsString != record.Id))
                {
                    throw new InvalidOperationException("The idempotency key already belongs to another message.");
                }
                session.Upsert(Collections.Messages, ToDocument(record));
            }
            return true;
        }, cancellationToken);
    }

    public Task<MessageRecord?> GetByIdAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return source.ReadAsync(session => session.Get(Collections.Messages, id) is { } doc ? FromDocument(doc) : null, cancellationToken);
    }

    public Task<MessageRecord?> GetByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        return source.ReadAsync(session => session.Find(Collections.Messages, ByKey(idempotencyKey), 1) is [var doc] ? FromDocument(doc) : null, cancellationToken);
    }

    public Task<MessageRecord?> GetByProviderMessageIdAsync(string providerMessageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerMessageId);
        return source.ReadAsync(
            session => session.Find(Collections.Messages, ProviderMessageId.For(providerMessageId), 1) is [var doc] ? FromDocument(doc) : null,
            cancellationToken);
    }

    public Task<int> UpdateStatusAsync(IReadOnlyCollection<MessageStatusUpdate> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        foreach (var update in updates)
        {
            ArgumentNullException.ThrowIfNull(update, nameof(updates));
        }
        return source.WriteAsync(session =>
        {
            var changed = 0;
            foreach (var update in updates)
            {
                if (session.Get(Collections.Messages, update.Id) is { } doc
                    && MessageStatusRules.CanMove((MessageStatus)doc["status"].AsInt32, update.Status))
                {
                    var current = FromDocument(doc);
                    session.Upsert(Collections.Messages, ToDocument(current with
                    {
                        Status = update.Status,
                        UpdatedAt = update.At,
                        FailureReason = update.FailureReason,
                    }));
                    changed++;
                }
            }
            return changed;
        }, cancellationToken);
    }

    public Task<int> PruneAsync(DateTimeOffset updatedBefore, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return source.WriteAsync(session =>
        {
            var old = session.Find(Collections.Messages, SettledBefore.For(1, updatedBefore.UtcTicks - 1), max, indexOrder: SettledBefore.Order);
            foreach (var doc in old)
            {
                session.Delete(Collections.Messages, doc["_id"]);
            }
            return old.Count;
        }, cancellationToken);
    }

    private static BsonExpression ByKey(string key) => IdempotencyKey.For(key);

    private static BsonDocument ToDocument(MessageRecord r) => new()
    {
        ["_id"] = r.Id,
        ["dir"] = (int)r.Direction,
        ["chat"] = r.Chat,
        ["status"] = (int)r.Status,
        ["createdAt"] = Bson.Instant(r.CreatedAt),
        ["updatedAt"] = Bson.Instant(r.UpdatedAt),
        [SettledKey] = MessageStatusRules.IsSettled(r.Status) ? Bson.Instant(r.UpdatedAt) : BsonValue.Null,
        ["ikey"] = Bson.Text(r.IdempotencyKey),
        ["reason"] = Bson.Text(r.FailureReason),
        ["pid"] = Bson.Text(r.ProviderMessageId),
    };

    private static MessageRecord FromDocument(BsonDocument d) => new()
    {
        Id = d["_id"].AsString,
        Direction = (MessageDirection)d["dir"].AsInt32,
        Chat = d["chat"].AsString,
        Status = (MessageStatus)d["status"].AsInt32,
        CreatedAt = Bson.ReadInstant(d["createdAt"]),
        UpdatedAt = Bson.ReadInstant(d["updatedAt"]),
        IdempotencyKey = Bson.ReadText(d["ikey"]),
        FailureReason = Bson.ReadText(d["reason"]),
        ProviderMessageId = Bson.ReadText(d["pid"]),
    };
}
