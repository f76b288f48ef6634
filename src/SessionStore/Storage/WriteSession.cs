using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// Buffers the writes of one unit of work over the committed file. LiteDB 5 binds a transaction to the thread
/// that began it, and a unit of work awaits (and so may resume on another thread); buffering lets the work run
/// anywhere while the commit itself is one synchronous LiteDB transaction on one thread. Units of work of a
/// tenant run one at a time (the store's write gate), so what this session read stays true until it commits.
/// </summary>
internal sealed class WriteSession(StoreEngine engine) : IStoreSession
{
    // Final state per document: a document to upsert, or null to delete.
    private readonly Dictionary<(string Collection, BsonValue Id), BsonDocument?> _changes = [];

    // Committed documents this session has read. Writers of a tenant run one at a time, so what was committed when
    // this session read it stays committed until the session ends: a unit of work that reads a document twice (an
    // identity, a sequence, a record) goes to LiteDB once. Documents are replaced, never changed in place.
    private readonly Dictionary<(string Collection, BsonValue Id), BsonDocument?> _reads = [];

    // Changes whose document is new (Insert): committed without the lookup an upsert makes first.
    private readonly HashSet<(string Collection, BsonValue Id)> _inserts = [];

    public bool HasChanges => _changes.Count > 0;

    public BsonDocument? Get(string collection, BsonValue id)
    {
        var key = (collection, id);
        if (_changes.TryGetValue(key, out var changed))
        {
            return changed;
        }
        if (!_reads.TryGetValue(key, out var committed))
        {
            committed = engine.Read(session => session.Get(collection, id));
            _reads[key] = committed;
        }
        return committed;
    }

    public IReadOnlyList<BsonDocument> Find(string collection, BsonExpression? predicate, int limit, bool descending = false, string? indexOrder = null)
    {
        var overlay = _changes.Where(c => c.Key.Collection == collection).ToList();
        if (overlay.Count == 0)
        {
            return engine.Read(committed => committed.Find(collection, predicate, limit, descending, indexOrder));
        }
        // Each buffered change can hide at most one committed match, so this many committed rows always suffice.
        var committed = engine.Read(c => c.Find(collection, predicate, limit + overlay.Count, descending, indexOrder))
            .Where(doc => !_changes.ContainsKey((collection, doc["_id"])));
        var buffered = overlay
            .Where(c => c.Value is not null && Matches(predicate, c.Value))
            .Select(c => c.Value!);
        var merged = committed.Concat(buffered);
        merged = descending ? merged.OrderByDescending(doc => doc["_id"]) : merged.OrderBy(doc => doc["_id"]);
        return merged.Take(limit).ToList();
    }

    public void Upsert(string collection, BsonDocument document) => _changes[KeyOf(collection, document)] = document;

    public void Insert(string collection, BsonDocument document)
    {
        var key = KeyOf(collection, document);
        _changes[key] = document;
        _inserts.Add(key);
    }

    public void Delete(string collection, BsonValue id)
    {
        var key = (collection, id);
        _changes[key] = null;
        _inserts.Remove(key);
    }

    /// <summary>Marks the changes so far; <see cref="RollbackTo"/> undoes what came after (one failed call in a unit of work).</summary>
    public Dictionary<(string Collection, BsonValue Id), BsonDocument?> Savepoint() => new(_changes);

    public void RollbackTo(Dictionary<(string Collection, BsonValue Id), BsonDocument?> savepoint)
    {
        _changes.Clear();
        foreach (var (key, value) in savepoint)
        {
            _changes[key] = value;
        }
        // An insert undone with its change is no insert any more; one from before the savepoint still is (or was
        // deleted since, and is committed as an upsert: slower, never wrong).
        _inserts.RemoveWhere(key => _changes.GetValueOrDefault(key) is null);
    }

    private static (string Collection, BsonValue Id) KeyOf(string collection, BsonDocument document)
    {
        var id = document["_id"];
        if (id.IsNull)
        {
            throw new InvalidOperationException("Stored documents carry their own _id.");
        }
        return (collection, id);
    }

    private static bool Matches(BsonExpression? predicate, BsonDocument document)
    {
        if (predicate is null)
        {
            return true;
        }
        var value = predicate.ExecuteScalar(document);
        return value.IsBoolean && value.AsBoolean;
    }

    /// <summary>Applies every buffered change in one LiteDB transaction.</summary>
    public void Commit() => engine.Commit(ApplyChanges, _changes);

    private void ApplyChanges(LiteDatabase database)
    {
        foreach (var ((collection, id), document) in _changes)
        {
            var target = database.GetCollection(collection);
            if (document is null)
            {
                target.Delete(id);
            }
            else if (_inserts.Contains((collection, id)))
            {
                target.Insert(document);
            }
            else
            {
                target.Upsert(document);
            }
        }
    }
}
