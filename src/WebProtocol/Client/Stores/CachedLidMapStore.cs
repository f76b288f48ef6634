namespace Gateway.WebProtocol.Client.Stores;

/// <summary>
/// Known LID &lt;-&gt; phone-number pairs kept in memory in front of the store: every send looks up the LIDs of the
/// recipient and of our own number, and every received message the phone number of a sender known by LID. Users the
/// store has no partner for are kept too (a contact that never sent its phone number would otherwise cost a query per
/// message). Storing mappings (rare: first contact, login) writes the store and then forgets everything kept, found
/// and missing, since a new mapping can map a missing user or unmap older ones; a read that raced with such a write
/// does not fill the cache (same rule as <see cref="CachedDeviceListStore"/>). Every writer of the map goes through
/// this store while the client runs.
/// </summary>
internal sealed class CachedLidMapStore(ILidMapStore inner) : ILidMapStore
{
    /// <summary>Pairs kept at most in each direction; past it that direction starts over (see <see cref="CachedDeviceListStore.MaxEntries"/>).</summary>
    internal const int MaxEntries = CachedDeviceListStore.MaxEntries;

    private readonly Dictionary<string, string> _lidByPn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pnByLid = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pnsWithoutLid = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lidsWithoutPn = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _generation;

    /// <summary>Pairs kept now, both directions together (tests).</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _lidByPn.Count + _pnByLid.Count + _pnsWithoutLid.Count + _lidsWithoutPn.Count;
            }
        }
    }

    public async Task StoreMappingsAsync(IReadOnlyCollection<LidPnMapping> mappings, CancellationToken cancellationToken)
    {
        try
        {
            await inner.StoreMappingsAsync(mappings, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _generation++;
                _lidByPn.Clear();
                _pnByLid.Clear();
                _pnsWithoutLid.Clear();
                _lidsWithoutPn.Clear();
            }
        }
    }

    public Task<IReadOnlyDictionary<string, string>> GetLidsForPnsAsync(IReadOnlyCollection<string> pnUsers, CancellationToken cancellationToken) =>
        LookUpAsync(pnUsers, _lidByPn, _pnsWithoutLid, inner.GetLidsForPnsAsync, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetPnsForLidsAsync(IReadOnlyCollection<string> lidUsers, CancellationToken cancellationToken) =>
        LookUpAsync(lidUsers, _pnByLid, _lidsWithoutPn, inner.GetPnsForLidsAsync, cancellationToken);

    private async Task<IReadOnlyDictionary<string, string>> LookUpAsync(
        IReadOnlyCollection<string> users,
        Dictionary<string, string> cache,
        HashSet<string> unmapped,
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlyDictionary<string, string>>> read,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        long generation;
        lock (_gate)
        {
            generation = _generation;
            foreach (var user in users)
            {
                if (cache.TryGetValue(user, out var partner))
                {
                    found[user] = partner;
                }
                else if (!unmapped.Contains(user))
                {
                    missing.Add(user);
                }
            }
        }

        if (missing.Count == 0)
        {
            return found;
        }

        var stored = await read(missing, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var (user, partner) in stored)
            {
                found[user] = partner;
                if (_generation == generation)
                {
                    if (cache.Count >= MaxEntries)
                    {
                        cache.Clear();
                    }
                    cache.TryAdd(user, partner);
                }
            }

            if (_generation == generation)
            {
                foreach (var user in missing.Where(user => !stored.ContainsKey(user)))
                {
                    if (unmapped.Count >= MaxEntries)
                    {
                        unmapped.Clear();
                    }
                    unmapped.Add(user);
                }
            }
        }

        return found;
    }
}
