namespace Gateway.WebProtocol.Client.Stores;

/// <summary>
/// Known LID &lt;-&gt; phone-number pairs kept in memory in front of the store: every send looks up the LIDs of the
/// recipient and of our own number. Only found pairs are kept. Storing mappings (rare: first contact, login)
/// writes the store and then forgets everything kept, since a new mapping can unmap older ones; a read that raced
/// with such a write does not fill the cache (same rule as <see cref="CachedDeviceListStore"/>).
/// </summary>
internal sealed class CachedLidMapStore(ILidMapStore inner) : ILidMapStore
{
    /// <summary>Pairs kept at most in each direction; past it that direction starts over (see <see cref="CachedDeviceListStore.MaxEntries"/>).</summary>
    internal const int MaxEntries = CachedDeviceListStore.MaxEntries;

    private readonly Dictionary<string, string> _lidByPn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pnByLid = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _generation;

    /// <summary>Pairs kept now, both directions together (tests).</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _lidByPn.Count + _pnByLid.Count;
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
            }
        }
    }

    public Task<IReadOnlyDictionary<string, string>> GetLidsForPnsAsync(IReadOnlyCollection<string> pnUsers, CancellationToken cancellationToken) =>
        LookUpAsync(pnUsers, _lidByPn, inner.GetLidsForPnsAsync, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetPnsForLidsAsync(IReadOnlyCollection<string> lidUsers, CancellationToken cancellationToken) =>
        LookUpAsync(lidUsers, _pnByLid, inner.GetPnsForLidsAsync, cancellationToken);

    private async Task<IReadOnlyDictionary<string, string>> LookUpAsync(
        IReadOnlyCollection<string> users,
        Dictionary<string, string> cache,
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
        }

        return found;
    }
}
