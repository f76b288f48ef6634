namespace Gateway.WebProtocol.Client.Stores;

/// <summary>
/// The client's device lists kept in memory in front of the store (as whatsmeow and Baileys keep theirs): every
/// send asks for the recipient's and our own list, which otherwise costs two store reads per message. Coherent
/// because the client is the only writer of its store while it runs: a write goes to the store first and then
/// replaces (or drops) the memory entry. A read that raced with a write does not fill the cache (the write
/// generation changed), so a removed list cannot come back from a read that started before the removal.
/// </summary>
internal sealed class CachedDeviceListStore(IDeviceListStore inner) : IDeviceListStore
{
    /// <summary>
    /// Users kept at most; past it the cache starts over. Sends go mostly to a few recent chats, and a tenant that
    /// writes to thousands of customers must not keep all their lists in memory for the life of its connection.
    /// </summary>
    internal const int MaxEntries = 64;

    private readonly Dictionary<string, DeviceListEntry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _generation;

    /// <summary>Users kept now (tests).</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public async Task PutAsync(IReadOnlyCollection<DeviceListEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        try
        {
            await inner.PutAsync(entries, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also after a failed write: what the store holds now is unknown, so forget these users.
            lock (_gate)
            {
                _generation++;
                foreach (var entry in entries)
                {
                    _entries.Remove(entry.User);
                }
            }
        }

        lock (_gate)
        {
            foreach (var entry in entries)
            {
                MakeRoom();
                _entries[entry.User] = entry;
            }
        }
    }

    public async Task<IReadOnlyDictionary<string, DeviceListEntry>> GetAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        var found = new Dictionary<string, DeviceListEntry>(StringComparer.Ordinal);
        var missing = new List<string>();
        long generation;
        lock (_gate)
        {
            generation = _generation;
            foreach (var user in users)
            {
                if (_entries.TryGetValue(user, out var entry))
                {
                    found[user] = entry;
                }
                else
                {
                    missing.Add(user);
                }
            }
        }

        if (missing.Count == 0)
        {
            return found;
        }

        var stored = await inner.GetAsync(missing, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var (user, entry) in stored)
            {
                found[user] = entry;
                if (_generation == generation)
                {
                    MakeRoom();
                    _entries.TryAdd(user, entry);
                }
            }
        }

        return found;
    }

    public async Task RemoveAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        try
        {
            await inner.RemoveAsync(users, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _generation++;
                foreach (var user in users)
                {
                    _entries.Remove(user);
                }
            }
        }
    }

    private void MakeRoom()
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
    }
}
