namespace Gateway.WebProtocol.Client.Stores;

/// <summary>Device-list cache, keyed by bare user JID; storing an entry replaces the previous one.</summary>
public interface IDeviceListStore
{
    Task PutAsync(IReadOnlyCollection<DeviceListEntry> entries, CancellationToken cancellationToken);

    /// <summary>Cached entries for the given users; users never cached (or removed) are absent.</summary>
    Task<IReadOnlyDictionary<string, DeviceListEntry>> GetAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken);

    Task RemoveAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken);
}
