using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// The last committed version of recently used documents, by collection and _id (null for one known to be absent).
/// A LiteDB read by _id costs about 30 KB of allocation and tens of microseconds, and a message reads the same few
/// documents again and again across its units of work (its record for each status, the Signal session and identity of
/// the chat, the outbox's sequence counter). Every write of a tenant goes through one commit path, which tells this
/// cache what it committed, so an entry is never stale; a commit that fails empties it. Documents are replaced, never
/// changed in place, so a cached one may be handed out as it is. Bounded, least recently used first out; it lives
/// with the open engine, so an idle tenant's closed engine holds none.
/// Not thread-safe: used under the engine's lock.
/// </summary>
internal sealed class CommittedDocuments
{
    private readonly int _capacity;
    private readonly Dictionary<(string Collection, BsonValue Id), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();

    public CommittedDocuments(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    public int Count => _entries.Count;

    public bool TryGet(string collection, BsonValue id, out BsonDocument? document)
    {
        if (_entries.TryGetValue((collection, id), out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            document = node.Value.Document;
            return true;
        }

        document = null;
        return false;
    }

    /// <summary>Records what the file holds now for <paramref name="id"/> (read or just committed; null when absent).</summary>
    public void Set(string collection, BsonValue id, BsonDocument? document)
    {
        var key = (collection, id);
        if (_entries.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            node.Value = new Entry(key, document);
            _recency.AddFirst(node);
            return;
        }

        if (_entries.Count >= _capacity && _recency.Last is { } oldest)
        {
            _recency.RemoveLast();
            _entries.Remove(oldest.Value.Key);
        }

        _entries[key] = _recency.AddFirst(new Entry(key, document));
    }

    public void Clear()
    {
        _entries.Clear();
        _recency.Clear();
    }

    private sealed record Entry((string Collection, BsonValue Id) Key, BsonDocument? Document);
}
