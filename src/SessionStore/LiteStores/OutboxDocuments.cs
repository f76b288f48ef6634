using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Storage;
using LiteDB;

namespace Gateway.SessionStore.LiteStores;

/// <summary>Document shapes of outbox events and delivery-log entries.</summary>
internal static class OutboxDocuments
{
    public static BsonDocument ToDocument(OutboxEvent e) => new()
    {
        ["_id"] = e.Sequence,
        ["eid"] = e.EventId,
        ["type"] = e.EventType,
        ["payload"] = Bson.Bytes(e.Payload),
        ["createdAt"] = Bson.Instant(e.CreatedAt),
        ["state"] = (int)e.State,
        ["attempts"] = e.Attempts,
        ["nextAt"] = Bson.Instant(e.NextAttemptAt),
        ["finishedAt"] = Bson.Instant(e.FinishedAt),
        ["error"] = Bson.Text(e.LastError),
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
