using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.SessionStore.Sqlite;

/// <summary>Session records as their serialized bytes, one row per address, with the name indexed.</summary>
internal sealed class SqliteSessionStore(StoreAccess access) : ISessionStore
{
    private const string Table = "sessions";

    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken) =>
        new(access.ReadAsync(connection => Load(connection, address.ToString()), cancellationToken));

    public ValueTask<IReadOnlyDictionary<ProtocolAddress, SessionRecord>> LoadSessionsAsync(IReadOnlyCollection<ProtocolAddress> addresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return new(access.ReadAsync<IReadOnlyDictionary<ProtocolAddress, SessionRecord>>(connection =>
        {
            var result = new Dictionary<ProtocolAddress, SessionRecord>();
            foreach (var address in addresses.Distinct())
            {
                if (Load(connection, address.ToString()) is { } record)
                {
                    result[address] = record;
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
        var rows = records.Select(pair =>
        {
            ArgumentNullException.ThrowIfNull(pair.Value, nameof(records));
            var id = pair.Key.ToString();
            return (Id: id, pair.Key.Name, Record: access.Seal(pair.Value.Serialize(), Table, id));
        }).ToList();
        return new(access.WriteAsync(connection =>
        {
            foreach (var (id, name, record) in rows)
            {
                connection.Execute(
                    "INSERT INTO sessions (address, name, record) VALUES ($a, $n, $r) ON CONFLICT (address) DO UPDATE SET record = excluded.record",
                    ("$a", id), ("$n", name), ("$r", record));
            }

            return true;
        }, cancellationToken));
    }

    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken) =>
        new(access.WriteAsync(connection => connection.Execute("DELETE FROM sessions WHERE address = $a", ("$a", address.ToString())), cancellationToken));

    public ValueTask DeleteAllSessionsAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(access.WriteAsync(connection => connection.Execute("DELETE FROM sessions WHERE name = $n", ("$n", name)), cancellationToken));
    }

    private SessionRecord? Load(TenantConnection connection, string id) =>
        connection.Scalar("SELECT record FROM sessions WHERE address = $a", ("$a", id)) is byte[] stored
            ? SessionRecord.Deserialize(access.Open(stored, Table, id))
            : null;
}

/// <summary>Sender key records as serialized bytes, keyed "group::name::device", with the group indexed.</summary>
internal sealed class SqliteSenderKeyStore(StoreAccess access) : ISenderKeyStore
{
    private const string Table = "sender_keys";

    public ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken)
    {
        var id = name.ToString();
        return new(access.ReadAsync(
            connection => connection.Scalar("SELECT record FROM sender_keys WHERE name = $n", ("$n", id)) is byte[] stored
                ? SenderKeyRecord.Deserialize(access.Open(stored, Table, id))
                : null,
            cancellationToken));
    }

    public ValueTask StoreSenderKeyAsync(SenderKeyName name, SenderKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = name.ToString();
        var sealedRecord = access.Seal(record.Serialize(), Table, id);
        return new(access.WriteAsync(
            connection => connection.Execute(
                "INSERT INTO sender_keys (name, group_id, record) VALUES ($n, $g, $r) ON CONFLICT (name) DO UPDATE SET record = excluded.record",
                ("$n", id), ("$g", name.GroupId), ("$r", sealedRecord)),
            cancellationToken));
    }

    public ValueTask DeleteSenderKeysAsync(string groupId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        return new(access.WriteAsync(connection => connection.Execute("DELETE FROM sender_keys WHERE group_id = $g", ("$g", groupId)), cancellationToken));
    }
}

internal static class SqliteSignalStores
{
    public static SignalStores Create(StoreAccess access) => new(
        new SqliteIdentityKeyStore(access),
        new SqlitePreKeyStore(access),
        new SqliteSignedPreKeyStore(access),
        new SqliteSessionStore(access),
        new SqliteSenderKeyStore(access));
}
