using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>Reads committed state straight from the file; writes are refused (they go through a unit of work).</summary>
internal sealed class ReadSession(LiteDatabase database) : IStoreSession
{
    private static readonly FieldEquals IdEquals = new("_id");

    // Parsed order expressions, per thread (an expression is not shared across threads; see FieldEquals): LiteDB
    // parses the text of FindById's and OrderBy's expressions on every call otherwise.
    [ThreadStatic]
    private static Dictionary<string, BsonExpression>? t_orders;

    public BsonDocument? Get(string collection, BsonValue id) =>
        database.GetCollection(collection).Query().Where(IdEquals.For(id)).FirstOrDefault();

    public IReadOnlyList<BsonDocument> Find(string collection, BsonExpression? predicate, int limit, bool descending = false, string? indexOrder = null)
    {
        var query = database.GetCollection(collection).Query();
        if (predicate is not null)
        {
            query = query.Where(predicate);
        }
        return query.OrderBy(Order(indexOrder ?? "$._id"), descending ? Query.Descending : Query.Ascending)
            .Limit(limit)
            .ToList();
    }

    private static BsonExpression Order(string text)
    {
        var orders = t_orders ??= new Dictionary<string, BsonExpression>(StringComparer.Ordinal);
        if (!orders.TryGetValue(text, out var expression))
        {
            expression = BsonExpression.Create(text);
            orders[text] = expression;
        }
        return expression;
    }

    public void Upsert(string collection, BsonDocument document) =>
        throw new InvalidOperationException("A read session does not write.");

    public void Insert(string collection, BsonDocument document) =>
        throw new InvalidOperationException("A read session does not write.");

    public void Delete(string collection, BsonValue id) =>
        throw new InvalidOperationException("A read session does not write.");
}
