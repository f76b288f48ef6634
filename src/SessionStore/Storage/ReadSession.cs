using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>Reads committed state straight from the file; writes are refused (they go through a unit of work).</summary>
internal sealed class ReadSession(LiteDatabase database) : IStoreSession
{
    public BsonDocument? Get(string collection, BsonValue id) => database.GetCollection(collection).FindById(id);

    public IReadOnlyList<BsonDocument> Find(string collection, BsonExpression? predicate, int limit, bool descending = false)
    {
        var query = database.GetCollection(collection).Query();
        if (predicate is not null)
        {
            query = query.Where(predicate);
        }
        return query.OrderBy("_id", descending ? Query.Descending : Query.Ascending)
            .Limit(limit)
            .ToList();
    }

    public void Upsert(string collection, BsonDocument document) =>
        throw new InvalidOperationException("A read session does not write.");

    public void Delete(string collection, BsonValue id) =>
        throw new InvalidOperationException("A read session does not write.");
}
