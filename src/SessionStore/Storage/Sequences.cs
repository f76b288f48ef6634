using Gateway.SessionStore.Schema;
using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>Named counters kept in the meta collection, so they commit (or roll back) with the unit of work.</summary>
internal static class Sequences
{
    public const string Outbox = "seq.outbox";
    public const string DeliveryLog = "seq.deliverylog";

    public static long Next(IStoreSession session, string name)
    {
        var current = session.Get(Collections.Meta, name)?["v"].AsInt64 ?? 0;
        var next = current + 1;
        session.Upsert(Collections.Meta, new BsonDocument { ["_id"] = name, ["v"] = next });
        return next;
    }
}
