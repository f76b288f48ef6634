using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;
using LiteDB;

namespace Gateway.SessionStore.LiteStores;

/// <summary>Session records as their serialized bytes, one document per address, with the name indexed.</summary>
internal sealed class LiteSessionStore(IStoreSessionSource source) : ISessionStore
{
    private static readonly FieldEquals ByName = new("name");

    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken) =>
        new(source.ReadAsync(session => session.Get(Collections.Sessions, address.ToString()) is { } d ? SessionRecord.Deserialize(d["rec"].AsBinary) : null, cancellationToken));

    public ValueTask<IReadOnlyDictionary<ProtocolAddress, SessionRecord>> LoadSessionsAsync(IReadOnlyCollection<ProtocolAddress> addresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return new(source.ReadAsync<IReadOnlyDictionary<ProtocolAddress, SessionRecord>>(session =>
        {
            var result = new Dictionary<ProtocolAddress, SessionRecord>();
            foreach (var address in addresses.Distinct())
            {
                if (session.Get(Collections.Sessions, address.ToString()) is { } d)
                {
                    result[address] = SessionRecord.Deserialize(d["rec"].AsBinary);
                }
            }
            return result;
        }, cancellationToken));
    }

    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken) =>
        StoreSessionsAsync([KeyValuePair.Create(address, record)], cancellationToken);

    public ValueTask StoreSessionsAsync(IReadOnlyCollection<KeyValuePair<ProtocolAddress, SessionRecord>> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var docs = records.Select(pair =>
        {
            ArgumentNullException.ThrowIfNull(pair.Value, nameof(records));
            return new BsonDocument
            {
                ["_id"] = pair.Key.ToString(),
                ["name"] = pair.Key.Name,
                ["rec"] = pair.Value.Serialize(),
            };
        }).ToList();
        return new(source.WriteAsync(session =>
        {
            docs.ForEach(doc => session.Upsert(Collections.Sessions, doc));
            return true;
        }, cancellationToken));
    }

    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken) =>
        new(source.WriteAsync(session =>
        {
            session.Delete(Collections.Sessions, address.ToString());
            return true;
        }, cancellationToken));

    public ValueTask DeleteAllSessionsAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(source.WriteAsync(session =>
        {
            foreach (var doc in session.Find(Collections.Sessions, ByName.For(name), int.MaxValue))
            {
                session.Delete(Collections.Sessions, doc["_id"]);
            }
            return true;
        }, cancellationToken));
    }
}

/// <summary>Sender key records as serialized bytes, keyed "group::name::device", with the group indexed.</summary>
internal sealed class LiteSenderKeyStore(IStoreSessionSource source) : ISenderKeyStore
{
    private static readonly FieldEquals ByGroup = new("group");

    public ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken) =>
        new(source.ReadAsync(session => session.Get(Collections.SenderKeys, name.ToString()) is { } d ? SenderKeyRecord.Deserialize(d["rec"].AsBinary) : null, cancellationToken));

    public ValueTask StoreSenderKeyAsync(SenderKeyName name, SenderKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var doc = new BsonDocument { ["_id"] = name.ToString(), ["group"] = name.GroupId, ["rec"] = record.Serialize() };
        return new(source.WriteAsync(session =>
        {
            session.Upsert(Collections.SenderKeys, doc);
            return true;
        }, cancellationToken));
    }

    public ValueTask DeleteSenderKeysAsync(string groupId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        return new(source.WriteAsync(session =>
        {
            foreach (var doc in session.Find(Collections.SenderKeys, ByGroup.For(groupId), int.MaxValue))
            {
                session.Delete(Collections.SenderKeys, doc["_id"]);
            }
            return true;
        }, cancellationToken));
    }
}
