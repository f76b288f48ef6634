using System.Text.Json;
using Gateway.WebProtocol.Client.Stores;

namespace Gateway.SessionStore.Sqlite;

/// <summary>A tenant has one linked device, so one row: the credentials as JSON, sealed as one value.</summary>
internal sealed class SqliteCredentialsStore(StoreAccess access) : ICredentialsStore
{
    public const string Table = "credentials";
    private const string Row = "1";

    public Task<DeviceCredentials?> LoadAsync(CancellationToken cancellationToken) =>
        access.ReadAsync(connection => Load(connection, access), cancellationToken);

    public Task SaveAsync(DeviceCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var data = access.Seal(JsonSerializer.SerializeToUtf8Bytes(credentials), Table, Row);
        return access.WriteAsync(
            connection => connection.Execute("INSERT INTO credentials (id, data) VALUES (1, $data) ON CONFLICT (id) DO UPDATE SET data = excluded.data", ("$data", data)),
            cancellationToken);
    }

    public Task<bool> DeleteAsync(CancellationToken cancellationToken) =>
        access.WriteAsync(connection => connection.Execute("DELETE FROM credentials WHERE id = 1") > 0, cancellationToken);

    /// <summary>The credentials in a connection the caller already holds (the identity store reads ours from them).</summary>
    public static DeviceCredentials? Load(TenantConnection connection, StoreAccess access) =>
        connection.Scalar("SELECT data FROM credentials WHERE id = 1") is byte[] stored
            ? JsonSerializer.Deserialize<DeviceCredentials>(access.Open(stored, Table, Row))
            : null;
}
