using Gateway.SessionStore.LiteStores;
using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using LiteDB;

namespace Gateway.SessionStore.Tests;

/// <summary>
/// A prune reads what it deletes: each of its queries walks its schema v5 index over just the old stretch, in the
/// index's order, instead of scanning or sorting the collection. LiteDB only picks an index whose expression text
/// equals the query's, so this fails if a store's key and the migration's index ever drift apart.
/// </summary>
public sealed class RetentionIndexTests : IDisposable
{
    private readonly TempSessions _sessions = new();

    public void Dispose() => _sessions.Dispose();

    [Theory]
    [InlineData(Collections.Outbox, OutboxDocuments.RetentionKey, 0L)]
    [InlineData(Collections.Outbox, OutboxDocuments.RetentionKey, OutboxDocuments.DeadLetteredBase)]
    [InlineData(Collections.Messages, LiteMessageRecordStore.SettledKey, 0L)]
    public void The_prune_query_walks_its_retention_index_in_order(string collection, string field, long kindBase)
    {
        using var store = TenantStore.Open(_sessions.PathName, "plan");
        var range = new IndexedRange(field);
        var cutoff = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

        var plan = store.Engine.Use(database => database.GetCollection(collection).Query()
            .Where(range.For(kindBase + 1, kindBase + cutoff - 1))
            .OrderBy(BsonExpression.Create(range.Order), Query.Ascending)
            .Limit(500)
            .GetPlan());

        Assert.Equal(field, plan["index"]["name"].AsString);
        Assert.StartsWith("INDEX RANGE", plan["index"]["mode"].AsString, StringComparison.Ordinal);
        Assert.False(plan.ContainsKey("orderBy"), plan.ToString()); // no sort step: the index order is the query's
    }

    [Fact]
    public void The_outbox_keeps_no_state_index()
    {
        // Every index costs each write of the collection; dead letters are found through the retention key instead.
        using var store = TenantStore.Open(_sessions.PathName, "indexes");
        var names = store.Engine.Use(database => database.GetCollection("$indexes").Query()
            .Where(BsonExpression.Create("collection = @0", Collections.Outbox)).ToList().Select(d => d["name"].AsString).Order().ToArray());
        Assert.Equal(["_id", "eid", "pq", OutboxDocuments.RetentionKey], names);
    }
}
