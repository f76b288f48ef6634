using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Storage;
using LiteDB;

namespace Gateway.SessionStore.LiteStores;

/// <summary>Document shapes of outbox events and delivery-log entries.</summary>
internal static class OutboxDocuments
{
    /// <summary>
    /// The pending queue's key: the sequence while an event is pending, absent otherwise. Its index lists exactly the
    /// pending events in delivery order, so reading the next batch reads that batch and nothing else, however long
    /// the backlog (the state index would hand over every pending event to be sorted first).
    /// </summary>
    public const string PendingKey = "pq";

    public const string PendingOrder = "$." + PendingKey;

    /// <summary>
    /// Retention key (schema v5): null while the event is pending; once it left the queue, the UTC ticks it finished
    /// at, lifted by <see cref="DeadLetteredBase"/> for dead letters. One plain index then serves both retentions (each
    /// kind is its own range, oldest first) and the dead-letter list. A plain field rather than an expression index:
    /// LiteDB parses a collection's index expressions whenever it loads the collection's page, which is every query.
    /// </summary>
    public const string RetentionKey = "rk";

    /// <summary>Above every instant's ticks (about 3.2e18 for the year 9999), below long's maximum.</summary>
    public const long DeadLetteredBase = 1L << 62;

    public static BsonValue Retention(OutboxEvent e) => (e.State, e.FinishedAt) switch
    {
        (OutboxEventState.Delivered, { } at) => new BsonValue(at.UtcTicks),
        (OutboxEventState.DeadLettered, { } at) => new BsonValue(DeadLetteredBase + at.UtcTicks),
        _ => BsonValue.Null,
    };

    public static BsonDocument ToDocument(OutboxEvent e) => new()
    {
        ["_id"] = e.Sequence,
        [PendingKey] = e.State == OutboxEventState.Pending ? e.Sequence : BsonValue.Null,
        ["eid"] = e.EventId,
        ["type"] = e.EventType,
        ["payload"] = Bson.Bytes(e.Payload),
        ["createdAt"] = Bson.Instant(e.CreatedAt),
        ["state"] = (int)e.State,
        ["attempts"] = e.Attempts,
        ["nextAt"] = Bson.Instant(e.NextAttemptAt),
        ["finishedAt"] = Bson.Instant(e.FinishedAt),
        ["error"] = Bson.Text(e.LastError),
        [RetentionKey] = Retention(e),
    };

    public static OutboxEvent FromDocument(BsonDocument d) => new()
    {
        Sequence = d["_id"].AsInt64,
        EventId = d["eid"].AsString,
        EventType = d["type"].AsString,
        Payload = d["payload"].AsBinary,
        CreatedAt = Bson.ReadInstant(d["createdAt"]),
        State = (OutboxEventState)d["state"].AsInt32,
        Attempts = d["attempts"].AsInt32,
        NextAttemptAt = Bson.ReadInstant(d["nextAt"]),
        FinishedAt = Bson.ReadOptionalInstant(d["finishedAt"]),
        LastError = Bson.ReadText(d["error"]),
    };

    public static BsonDocument ToDocument(long id, DeliveryLogEntry entry) => new()
    {
        ["_id"] = id,
        ["seq"] = entry.Sequence,
        ["eid"] = entry.EventId,
        ["at"] = Bson.Instant(entry.At),
        ["outcome"] = (int)entry.Outcome,
        ["code"] = Bson.OptionalInt(entry.StatusCode),
        ["error"] = Bson.Text(entry.Error),
    };

    public static DeliveryLogEntry LogFromDocument(BsonDocument d) => new(
        d["seq"].AsInt64,
        d["eid"].AsString,
        Bson.ReadInstant(d["at"]),
        (DeliveryOutcome)d["outcome"].AsInt32,
        Bson.ReadOptionalInt(d["code"]),
        Bson.ReadText(d["error"]));
}
