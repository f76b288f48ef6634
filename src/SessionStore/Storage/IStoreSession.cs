using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// The document operations the LiteDB stores are written against. A read session goes straight to the file;
/// a write session buffers changes and lets reads see them, until the unit of work commits them in one LiteDB
/// transaction (see <see cref="WriteSession"/>).
/// </summary>
internal interface IStoreSession
{
    BsonDocument? Get(string collection, BsonValue id);

    /// <summary>Documents matching <paramref name="predicate"/> (all when null), by _id ascending (or descending), at most <paramref name="limit"/>.</summary>
    /// <param name="indexOrder">
    /// An index's expression (as created, e.g. <c>$.pq</c>) that the predicate ranges over: the query then walks that
    /// index in its order and stops at the limit, where otherwise it loads and sorts every match first. Merged with a
    /// unit of work's buffered changes the result comes in _id order, so a caller that needs the order itself passes a
    /// key whose order agrees with _id's among the matches.
    /// </param>
    IReadOnlyList<BsonDocument> Find(string collection, BsonExpression? predicate, int limit, bool descending = false, string? indexOrder = null);

    void Upsert(string collection, BsonDocument document);

    /// <summary>
    /// Writes a document whose _id is new (taken from a sequence): committed as an insert, which skips the lookup an
    /// upsert makes first; the commit fails if the _id exists after all.
    /// </summary>
    void Insert(string collection, BsonDocument document);

    void Delete(string collection, BsonValue id);
}

/// <summary>Runs store operations in the right session: straight on the file, or inside a unit of work.</summary>
internal interface IStoreSessionSource
{
    Task<T> ReadAsync<T>(Func<IStoreSession, T> read, CancellationToken cancellationToken);

    Task<T> WriteAsync<T>(Func<IStoreSession, T> write, CancellationToken cancellationToken);
}
