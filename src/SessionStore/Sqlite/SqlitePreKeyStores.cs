using System.Globalization;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.SessionStore.Sqlite;

internal sealed class SqlitePreKeyStore(StoreAccess access) : IPreKeyStore
{
    private const string Table = "prekeys";

    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken) =>
        new(access.ReadAsync(
            connection => connection.Scalar("SELECT data FROM prekeys WHERE id = $id", ("$id", (long)preKeyId)) is byte[] stored
                ? FromRow(preKeyId, access.Open(stored, Table, Row(preKeyId)))
                : null,
            cancellationToken));

    public ValueTask StorePreKeysAsync(IReadOnlyCollection<PreKeyRecord> preKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preKeys);
        var rows = preKeys.Select(p => (Id: (long)p.Id, Data: access.Seal(Blobs.Join(p.KeyPair.PublicKey, p.KeyPair.PrivateKey), Table, Row(p.Id)))).ToList();
        return new(access.WriteAsync(connection =>
        {
            foreach (var (id, data) in rows)
            {
                connection.Execute("INSERT INTO prekeys (id, data) VALUES ($id, $d) ON CONFLICT (id) DO UPDATE SET data = excluded.data", ("$id", id), ("$d", data));
            }

            return true;
        }, cancellationToken));
    }

    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken) =>
        new(access.WriteAsync(connection => connection.Execute("DELETE FROM prekeys WHERE id = $id", ("$id", (long)preKeyId)), cancellationToken));

    private static string Row(uint id) => id.ToString(CultureInfo.InvariantCulture);

    private static PreKeyRecord FromRow(uint id, byte[] data)
    {
        var parts = Blobs.Split(data, 2);
        return new PreKeyRecord(id, new KeyPair(parts[0], parts[1]));
    }
}

internal sealed class SqliteSignedPreKeyStore(StoreAccess access) : ISignedPreKeyStore
{
    private const string Table = "signed_prekeys";

    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken) =>
        new(access.ReadAsync(
            connection => connection.Scalar("SELECT data FROM signed_prekeys WHERE id = $id", ("$id", (long)signedPreKeyId)) is byte[] stored
                ? FromRow(signedPreKeyId, stored)
                : null,
            cancellationToken));

    public ValueTask<IReadOnlyList<SignedPreKeyRecord>> LoadSignedPreKeysAsync(CancellationToken cancellationToken) =>
        new(access.ReadAsync<IReadOnlyList<SignedPreKeyRecord>>(
            connection => connection.Query("SELECT id, data FROM signed_prekeys ORDER BY id", r => FromRow((uint)r.GetInt64(0), (byte[])r.GetValue(1))),
            cancellationToken));

    public ValueTask StoreSignedPreKeyAsync(SignedPreKeyRecord signedPreKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signedPreKey);
        var timestamp = BitConverter.GetBytes(signedPreKey.TimestampMilliseconds);
        var data = access.Seal(
            Blobs.Join(signedPreKey.KeyPair.PublicKey, signedPreKey.KeyPair.PrivateKey, signedPreKey.Signature, timestamp),
            Table,
            Row(signedPreKey.Id));
        return new(access.WriteAsync(
            connection => connection.Execute(
                "INSERT INTO signed_prekeys (id, data) VALUES ($id, $d) ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                ("$id", (long)signedPreKey.Id), ("$d", data)),
            cancellationToken));
    }

    public ValueTask RemoveSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken) =>
        new(access.WriteAsync(connection => connection.Execute("DELETE FROM signed_prekeys WHERE id = $id", ("$id", (long)signedPreKeyId)), cancellationToken));

    private static string Row(uint id) => id.ToString(CultureInfo.InvariantCulture);

    private SignedPreKeyRecord FromRow(uint id, byte[] stored)
    {
        var parts = Blobs.Split(access.Open(stored, Table, Row(id)), 4);
        return new SignedPreKeyRecord(id, new KeyPair(parts[0], parts[1]), parts[2], BitConverter.ToInt64(parts[3]));
    }
}
