namespace Gateway.WebProtocol.Client.Stores;

/// <summary>Process-lifetime device-list cache, for tests and throwaway sessions.</summary>
public sealed class InMemoryDeviceListStore : IDeviceListStore
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, DeviceListEntry> _entries = new(StringComparer.Ordinal);

    public Task PutAsync(IReadOnlyCollection<DeviceListEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            foreach (var entry in entries)
            {
                ArgumentNullException.ThrowIfNull(entry, nameof(entries));
                ArgumentException.ThrowIfNullOrEmpty(entry.User, nameof(entries));
                // Copy the list so a caller mutating its array cannot change the cache behind our back.
                _entries[entry.User] = entry with { DeviceIds = entry.DeviceIds.ToArray() };
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, DeviceListEntry>> GetAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        cancellationToken.ThrowIfCancellationRequested();
        var result = new Dictionary<string, DeviceListEntry>(StringComparer.Ordinal);
        lock (_sync)
        {
            foreach (var user in users)
            {
                if (_entries.TryGetValue(user, out var entry))
                {
                    result[user] = entry;
                }
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, DeviceListEntry>>(result);
    }

    public Task RemoveAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            foreach (var user in users)
            {
                _entries.Remove(user);
            }
        }
        return Task.CompletedTask;
    }
}
