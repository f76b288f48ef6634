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
    [InlineData(Collections.Outbox, OutboxDocuments.DeliveredKey, "delivered")]
    [InlineData(Collections.Outbox, OutboxDocuments.DeadLetteredKey, "deadlettered")]
    [InlineData(Collections.Messages, LiteMessageRecordStore.SettledKey, "settled")]
    public void The_prune_query_walks_its_retention_index_in_order(string collection, string key, string index)
    {
        using var store = TenantStore.Open(_sessions.PathName, "plan");
        var predicate = new IndexedBefore(key).For(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

        var plan = store.Engine.Use(database => database.GetCollection(collection).Query()
            .Where(predicate)
            .OrderBy(BsonExpression.Create(key), Query.Ascending)
            .Limit(500)
            .GetPlan());

        Assert.Equal(index, plan["index"]["name"].AsString);
        Assert.StartsWith("INDEX RANGE", plan["index"]["mode"].AsString, StringComparison.Ordinal);
        Assert.False(plan.ContainsKey("orderBy"), plan.ToString()); // no sort step: the index order is the query's
    }
}
