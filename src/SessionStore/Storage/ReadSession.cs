using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// Reads committed state from the file, documents by _id through <see cref="CommittedDocuments"/>; writes are refused
/// (they go through a unit of work, whose commit tells <see cref="Committed"/> what it wrote).
/// </summary>
internal sealed class ReadSession(LiteDatabase database) : IStoreSession
{
    /// <summary>
    /// Documents remembered per open engine. In the load run, 16 already answered all the reads by _id a tenant with one
    /// message at a time makes again (5.6 reads to LiteDB per message, from 20.8), and 32 most of a busy tenant's (7.6
    /// with 20 in flight, from 11.9; 64: 6.8). Each is about a kilobyte while the engine is open.
    /// </summary>
    public const int DocumentsToRemember = 32;

    private readonly CommittedDocuments _remembered = new(DocumentsToRemember);

    private static readonly FieldEquals IdEquals = new("_id");

    // Parsed order expressions, per thread (an expression is not shared across threads; see FieldEquals): LiteDB
    // parses the text of FindById's and OrderBy's expressions on every call otherwise.
    [ThreadStatic]
    private static Dictionary<string, BsonExpression>? t_orders;

    public BsonDocument? Get(string collection, BsonValue id)
    {
        if (_remembered.TryGet(collection, id, out var remembered))
        {
            return remembered;
        }

        FileReads++;
        var document = database.GetCollection(collection).Query().Where(IdEquals.For(id)).FirstOrDefault();
        _remembered.Set(collection, id, document);
        return document;
    }

    /// <summary>How many reads went to LiteDB (a document not remembered, or a query).</summary>
    public long FileReads { get; private set; }

    /// <summary>How many documents are remembered now (tests).</summary>
    public int Remembered => _remembered.Count;

    /// <summary>A commit succeeded with these final states (null: deleted); the remembered versions follow it.</summary>
    public void Committed(IEnumerable<KeyValuePair<(string Collection, BsonValue Id), BsonDocument?>> changes)
    {
        foreach (var ((collection, id), document) in changes)
        {
            _remembered.Set(collection, id, document);
        }
    }

    /// <summary>A commit failed somewhere: what the file holds is not known here any more.</summary>
    public void Forget() => _remembered.Clear();

    public IReadOnlyList<BsonDocument> Find(string collection, BsonExpression? predicate, int limit, bool descending = false, string? indexOrder = null)
    {
        FileReads++;
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
