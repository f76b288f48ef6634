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

            // Pending events come in sequence order, which is creation order, and the log is appended in time order:
            // in both the old ones are the first ones.
            if (deleted < max && retention.PendingBefore > DateTimeOffset.MinValue)
            {
                deleted += DeleteLeading(connection, "SELECT sequence, created_at FROM outbox WHERE state = 1 ORDER BY sequence LIMIT $max", "DELETE FROM outbox WHERE sequence = $id", retention.PendingBefore, max - deleted);
            }

            if (deleted < max)
            {
                deleted += DeleteLeading(connection, "SELECT id, at FROM delivery_log ORDER BY id LIMIT $max", "DELETE FROM delivery_log WHERE id = $id", retention.DeliveredBefore, max - deleted);
            }

            return deleted;
        }, cancellationToken);
    }

    // Deletes the rows the query lists (id, time), oldest first, up to the first one at or after the cutoff.
    private static int DeleteLeading(TenantConnection connection, string select, string delete, DateTimeOffset before, int max)
    {
        var old = connection.Query(select, r => (Id: r.GetInt64(0), At: r.GetInt64(1)), ("$max", max))
            .TakeWhile(row => row.At < Instants.Of(before))
            .ToList();
        foreach (var (id, _) in old)
        {
            connection.Execute(delete, ("$id", id));
        }

        return old.Count;
    }

    private static int Delete(TenantConnection connection, string select, DateTimeOffset before, int max) =>
        before == DateTimeOffset.MinValue
            ? 0
            : connection.Execute($"DELETE FROM outbox WHERE sequence IN ({select})", ("$before", Instants.Of(before)), ("$max", max));
}
