using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using Gateway.WebProtocol.Client.Stores;
using LiteDB;

namespace Gateway.SessionStore.LiteStores;

internal sealed class LiteDeviceListStore(IStoreSessionSource source) : IDeviceListStore
{
    public Task PutAsync(IReadOnlyCollection<DeviceListEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var docs = entries.Select(entry =>
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            ArgumentException.ThrowIfNullOrEmpty(entry.User, nameof(entries));
            return new BsonDocument
            {
                ["_id"] = entry.User,
                ["devices"] = new BsonArray(entry.DeviceIds.Select(id => new BsonValue(id))),
                ["at"] = Bson.Instant(entry.FetchedAt),
            };
        }).ToList();
        return source.WriteAsync(session =>
        {
            foreach (var doc in docs)
            {
                session.Upsert(Collections.DeviceLists, doc);
            }
            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, DeviceListEntry>> GetAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        return source.ReadAsync<IReadOnlyDictionary<string, DeviceListEntry>>(session =>
        {
            var result = new Dictionary<string, DeviceListEntry>(StringComparer.Ordinal);
            foreach (var user in users.Distinct(StringComparer.Ordinal))
            {
                if (session.Get(Collections.DeviceLists, user) is { } doc)
                {
                    var devices = doc["devices"].AsArray.Select(v => v.AsInt32).ToArray();
                    result[user] = new DeviceListEntry(user, devices, Bson.ReadInstant(doc["at"]));
                }
            }
            return result;
        }, cancellationToken);
    }

    public Task RemoveAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        return source.WriteAsync(session =>
        {
            foreach (var user in users)
            {
                session.Delete(Collections.DeviceLists, user);
            }
            return true;
        }, cancellationToken);
    }
}
