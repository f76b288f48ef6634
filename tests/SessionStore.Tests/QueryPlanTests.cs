namespace Gateway.SessionStore.Tests;

/// <summary>
/// The queries that run per message or per retention round use their indexes, so their cost does not grow with the
/// backlog or the history a tenant keeps (SQLite's EXPLAIN QUERY PLAN says which index a statement searches).
/// </summary>
public sealed class QueryPlanTests : IDisposable
{
    private readonly TempSessions sessions = new();

    public void Dispose() => sessions.Dispose();

    [Theory]
    [InlineData("SELECT sequence FROM outbox WHERE state = 1 ORDER BY sequence LIMIT 10", "outbox_pending")]
    [InlineData("SELECT sequence FROM outbox WHERE state = 2 AND finished_at < 5 ORDER BY finished_at LIMIT 10", "outbox_finished")]
    [InlineData("SELECT sequence FROM outbox WHERE state = 3 AND finished_at IS NOT NULL ORDER BY sequence LIMIT 10", "outbox_finished")]
    [InlineData("SELECT sequence FROM outbox WHERE event_id = 'e'", "sqlite_autoindex_outbox_1")]
    [InlineData("SELECT id FROM messages WHERE settled_at IS NOT NULL AND settled_at < 5 ORDER BY settled_at LIMIT 10", "messages_settled")]
    [InlineData("SELECT id FROM messages WHERE idempotency_key = 'k'", "sqlite_autoindex_messages_2")]
    [InlineData("SELECT id FROM messages WHERE provider_id = 'p' LIMIT 1", "messages_by_provider_id")]
    [InlineData("SELECT lid FROM lid_map WHERE pn = 'p'", "sqlite_autoindex_lid_map_2")]
    [InlineData("SELECT address FROM sessions WHERE name = 'n'", "sessions_by_name")]
    [InlineData("SELECT name FROM sender_keys WHERE group_id = 'g'", "sender_keys_by_group")]
    [InlineData("SELECT id FROM delivery_log WHERE sequence = 1 ORDER BY id DESC LIMIT 10", "delivery_log_by_sequence")]
    public void Each_hot_query_searches_its_index(string query, string index)
    {
        using var store = TenantStore.Open(sessions.PathName, "plan");
        var plan = store.Read(connection => connection.Query("EXPLAIN QUERY PLAN " + query, r => r.GetString(3)));

        Assert.Contains(plan, step => step.Contains("USING INDEX " + index, StringComparison.Ordinal) || step.Contains("USING COVERING INDEX " + index, StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN ", StringComparison.Ordinal) && !step.Contains("INDEX", StringComparison.Ordinal));
    }
}
