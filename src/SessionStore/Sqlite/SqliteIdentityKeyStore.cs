using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.SessionStore.Sqlite;

/// <summary>
/// Our identity comes from the device credentials (one source of truth); remote identities are one row per address
/// ("name.device"). Trust on first use, as in the in-memory store.
/// </summary>
internal sealed class SqliteIdentityKeyStore(StoreAccess access) : IIdentityKeyStore
{
    private const string Table = "identities";

    public ValueTask<KeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken) =>
        new(access.ReadAsync(connection =>
        {
            var credentials = Credentials(connection);
            return new KeyPair(credentials.IdentityPublicKey, credentials.IdentityPrivateKey);
        }, cancellationToken));

    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken) =>
        new(access.ReadAsync(connection => (uint)Credentials(connection).RegistrationId, cancellationToken));

    public ValueTask<byte[]?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken) =>
        new(access.ReadAsync(connection => Read(connection, address.ToString()), cancellationToken));

    public ValueTask<IdentitySaveResult> SaveIdentityAsync(ProtocolAddress address, byte[] identityKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        var copy = identityKey.ToArray();
        var id = address.ToString();
        return new(access.WriteAsync(connection =>
        {
            var existing = Read(connection, id);
            if (existing is not null && existing.AsSpan().SequenceEqual(copy))
            {
                // Every prekey message saves the sender's identity again: unchanged, it is not written.
                return IdentitySaveResult.NewOrUnchanged;
            }

            connection.Execute(
                "INSERT INTO identities (address, key) VALUES ($a, $k) ON CONFLICT (address) DO UPDATE SET key = excluded.key",
                ("$a", id), ("$k", access.Seal(copy, Table, id)));
            return existing is null ? IdentitySaveResult.NewOrUnchanged : IdentitySaveResult.Replaced;
        }, cancellationToken));
    }

    public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, byte[] identityKey, TrustDirection direction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        return new(access.ReadAsync(
            connection => Read(connection, address.ToString()) is not { } stored || stored.AsSpan().SequenceEqual(identityKey),
            cancellationToken));
    }

    private byte[]? Read(TenantConnection connection, string id) =>
        connection.Scalar("SELECT key FROM identities WHERE address = $a", ("$a", id)) is byte[] stored ? access.Open(stored, Table, id) : null;

    private WebProtocol.Client.Stores.DeviceCredentials Credentials(TenantConnection connection) =>
        SqliteCredentialsStore.Load(connection, access)
        ?? throw new InvalidOperationException("The tenant has no device credentials yet, so no local identity.");
}
