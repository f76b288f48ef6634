using Gateway.WebProtocol.Client.Stores;

namespace Gateway.SessionStore.Sqlite;

/// <summary>The protocol library's buffer of decrypted, not yet acknowledged messages; plaintext sealed.</summary>
internal sealed class SqliteInboundBuffer(StoreAccess access) : IInboundBuffer
{
    private const string Table = "inbound_buffer";

    /// <summary>
    /// A buffered message older than this was acknowledged and its deletion lost to a crash, or its sender gave up
    /// long ago: it is dropped when the store opens.
    /// </summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return access.ReadAsync(
            connection => connection.Scalar("SELECT plaintext FROM inbound_buffer WHERE key = $k", ("$k", key)) is byte[] stored ? access.Open(stored, Table, key) : null,
            cancellationToken);
    }

    public Task PutAsync(string key, byte[] plaintext, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(plaintext);
        var sealedText = access.Seal(plaintext, Table, key);
        return access.WriteAsync(
            connection => connection.Execute(
                "INSERT INTO inbound_buffer (key, plaintext, received_at) VALUES ($k, $p, $at) ON CONFLICT (key) DO UPDATE SET plaintext = excluded.plaintext",
                ("$k", key), ("$p", sealedText), ("$at", Instants.Of(receivedAt))),
            cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var copy = keys.ToArray();
        return access.WriteAsync(connection => copy.Sum(key => connection.Execute("DELETE FROM inbound_buffer WHERE key = $k", ("$k", key))), cancellationToken);
    }
}
