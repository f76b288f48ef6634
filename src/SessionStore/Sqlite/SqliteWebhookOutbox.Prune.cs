using Gateway.SessionStore.Abstractions;

namespace Gateway.SessionStore.Sqlite;

/// <summary>Retention: old delivered events, dead letters and log entries go, a bounded batch per call.</summary>
internal sealed partial class SqliteWebhookOutbox
{
    public Task<int> PruneAsync(OutboxRetention retention, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retention);
        OutboxRules.ValidateMax(max);
        return access.WriteAsync(connection =>
        {
            var deleted = Delete(connection, "SELECT sequence FROM outbox WHERE state = 2 AND finished_at < $before ORDER BY finished_at LIMIT $max", retention.DeliveredBefore, max);
            if (deleted < max)
            {
                deleted += Delete(connection, "SELECT sequence FROM outbox WHERE state = 3 AND finished_at < $before ORDER BY finished_at LIMIT $max", retention.DeadLetteredBefore, max - deleted);
            }

            // Pending events come in sequence order, which is creation order: the expired ones are the first ones.
            if (deleted < max && retention.PendingBefore > DateTimeOffset.MinValue)
            {
                var expired = connection.Query(
                    "SELECT sequence, created_at FROM outbox WHERE state = 1 ORDER BY sequence LIMIT $max",
                    r => (Sequence: r.GetInt64(0), CreatedAt: r.GetInt64(1)),
                    ("$max", max - deleted))
                    .TakeWhile(e => e.CreatedAt < Instants.Of(retention.PendingBefore))
                    .ToList();
                foreach (var (sequence, _) in expired)
                {
                    connection.Execute("DELETE FROM outbox WHERE sequence = $s", ("$s", sequence));
                }

                deleted += expired.Count;
            }

            // The log is appended in time order, so its oldest lines come first.
            if (deleted < max)
            {
                var old = connection.Query(
                    "SELECT id, at FROM delivery_log ORDER BY id LIMIT $max",
                    r => (Id: r.GetInt64(0), At: r.GetInt64(1)),
                    ("$max", max - deleted))
                    .TakeWhile(e => e.At < Instants.Of(retention.DeliveredBefore))
                    .ToList();
                foreach (var (id, _) in old)
                {
                    connection.Execute("DELETE FROM delivery_log WHERE id = $id", ("$id", id));
                }

                deleted += old.Count;
            }

            return deleted;
        }, cancellationToken);
    }

    private static int Delete(TenantConnection connection, string select, DateTimeOffset before, int max) =>
        before == DateTimeOffset.MinValue
            ? 0
            : connection.Execute($"DELETE FROM outbox WHERE sequence IN ({select})", ("$before", Instants.Of(before)), ("$max", max));
}
