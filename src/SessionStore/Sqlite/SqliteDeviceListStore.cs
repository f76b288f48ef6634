using System.Globalization;
using Gateway.WebProtocol.Client.Stores;

namespace Gateway.SessionStore.Sqlite;

/// <summary>One row per user: its device ids (comma-separated) and when they were fetched.</summary>
internal sealed class SqliteDeviceListStore(StoreAccess access) : IDeviceListStore
{
    public Task PutAsync(IReadOnlyCollection<DeviceListEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            ArgumentException.ThrowIfNullOrEmpty(entry.User, nameof(entries));
        }

        var rows = entries.Select(e => (e.User, Devices: string.Join(',', e.DeviceIds.Select(id => id.ToString(CultureInfo.InvariantCulture))), At: Instants.Of(e.FetchedAt))).ToList();
        return access.WriteAsync(connection =>
        {
            foreach (var (user, devices, at) in rows)
            {
                connection.Execute(
                    "INSERT INTO device_lists (user, devices, fetched_at) VALUES ($u, $d, $at) ON CONFLICT (user) DO UPDATE SET devices = excluded.devices, fetched_at = excluded.fetched_at",
                    ("$u", user), ("$d", devices), ("$at", at));
            }

            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, DeviceListEntry>> GetAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        return access.ReadAsync<IReadOnlyDictionary<string, DeviceListEntry>>(connection =>
        {
            var result = new Dictionary<string, DeviceListEntry>(StringComparer.Ordinal);
            foreach (var user in users.Distinct(StringComparer.Ordinal))
            {
                var entry = connection.Single(
                    "SELECT devices, fetched_at FROM device_lists WHERE user = $u",
                    r => new DeviceListEntry(user, Parse(r.GetString(0)), Instants.From(r.GetInt64(1))),
                    ("$u", user));
                if (entry is not null)
                {
                    result[user] = entry;
                }
            }

            return result;
        }, cancellationToken);
    }

    public Task RemoveAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        var copy = users.ToArray();
        return access.WriteAsync(connection => copy.Sum(user => connection.Execute("DELETE FROM device_lists WHERE user = $u", ("$u", user))), cancellationToken);
    }

    private static int[] Parse(string devices) =>
        devices.Length == 0 ? [] : [.. devices.Split(',').Select(d => int.Parse(d, CultureInfo.InvariantCulture))];
}
