using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using LiteDB;

namespace Gateway.SessionStore.LiteStores;

/// <summary>Retention: old delivered events, dead letters and log entries go, a bounded batch per unit of work.</summary>
internal sealed partial class LiteWebhookOutbox
{
    public Task<int> PruneAsync(OutboxRetention retention, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retention);
        OutboxRules.ValidateMax(max);
        return source.WriteAsync(session =>
        {
            // Everything is found before anything is deleted, so no query has to look past this batch's own deletes.
            var events = session.Find(Collections.Outbox, Before(0, retention.DeliveredBefore), max, indexOrder: Retained.Order).ToList();
            if (events.Count < max)
            {
                events.AddRange(session.Find(Collections.Outbox, Before(OutboxDocuments.DeadLetteredBase, retention.DeadLetteredBefore), max - events.Count, indexOrder: Retained.Order));
            }
            // Pending events come in sequence order, which is creation order: the expired ones are the first ones.
            if (events.Count < max && retention.PendingBefore > DateTimeOffset.MinValue)
            {
                events.AddRange(session.Find(Collections.Outbox, IsPending.Value, max - events.Count, indexOrder: OutboxDocuments.PendingOrder)
                    .TakeWhile(e => Bson.ReadInstant(e["createdAt"]) < retention.PendingBefore));
            }
            // The log is appended in time order (ids from a sequence), so its oldest entries come first: look at the
            // first one, and only if it is old read the next stretch by id, up to the first entry young enough to stay.
            // No index on the time is needed, which keeps the write of every log entry as cheap as it was.
            var room = max - events.Count;
            var entries = room > 0 && session.Find(Collections.DeliveryLog, null, 1) is [var first] && IsOld(first)
                ? session.Find(Collections.DeliveryLog, null, room).TakeWhile(IsOld).ToList()
                : [];
            foreach (var e in events)
            {
                session.Delete(Collections.Outbox, e["_id"]);
            }
            foreach (var entry in entries)
            {
                session.Delete(Collections.DeliveryLog, entry["_id"]);
            }
            return events.Count + entries.Count;

            bool IsOld(BsonDocument entry) => Bson.ReadInstant(entry["at"]) < retention.DeliveredBefore;
        }, cancellationToken);
    }

    // Keys of one kind finished strictly before the cutoff (none at all for DateTimeOffset.MinValue).
    private static BsonExpression Before(long kindBase, DateTimeOffset cutoff) => Retained.For(kindBase + 1, kindBase + cutoff.UtcTicks - 1);
}
