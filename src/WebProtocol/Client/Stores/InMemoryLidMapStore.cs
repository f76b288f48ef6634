namespace Gateway.WebProtocol.Client.Stores;

/// <summary>Process-lifetime LID map, for tests and throwaway sessions.</summary>
public sealed class InMemoryLidMapStore : ILidMapStore
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, string> _pnByLid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lidByPn = new(StringComparer.Ordinal);

    public Task StoreMappingsAsync(IReadOnlyCollection<LidPnMapping> mappings, CancellationToken cancellationToken)
    {
        LidMapRules.Validate(mappings);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            foreach (var mapping in mappings)
            {
                // Drop stale partners first so the map stays one-to-one in both directions.
                if (_pnByLid.TryGetValue(mapping.LidUser, out var oldPn))
                {
                    _lidByPn.Remove(oldPn);
                }
                if (_lidByPn.TryGetValue(mapping.PnUser, out var oldLid))
                {
                    _pnByLid.Remove(oldLid);
                }
                _pnByLid[mapping.LidUser] = mapping.PnUser;
                _lidByPn[mapping.PnUser] = mapping.LidUser;
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, string>> GetLidsForPnsAsync(IReadOnlyCollection<string> pnUsers, CancellationToken cancellationToken) =>
        Lookup(_lidByPn, pnUsers, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetPnsForLidsAsync(IReadOnlyCollection<string> lidUsers, CancellationToken cancellationToken) =>
        Lookup(_pnByLid, lidUsers, cancellationToken);

    private Task<IReadOnlyDictionary<string, string>> Lookup(Dictionary<string, string> map, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_sync)
        {
            foreach (var key in keys)
            {
                if (map.TryGetValue(key, out var value))
                {
                    result[key] = value;
                }
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>>(result);
    }
}
