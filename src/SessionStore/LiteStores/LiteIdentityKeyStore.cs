using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;
using LiteDB;

namespace Gateway.SessionStore.LiteStores;

/// <summary>
/// Our identity comes from the device credentials (one source of truth); remote identities are one document
/// per address ("name.device"). Trust on first use, as in the in-memory store.
/// </summary>
internal sealed class LiteIdentityKeyStore(IStoreSessionSource source) : IIdentityKeyStore
{
    public ValueTask<KeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken) =>
        new(source.ReadAsync(session =>
        {
            var creds = Credentials(session);
            return new KeyPair(creds["identityPub"].AsBinary, creds["identityPriv"].AsBinary);
        }, cancellationToken));

    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken) =>
        new(source.ReadAsync(session => (uint)Credentials(session)["regId"].AsInt32, cancellationToken));

    public ValueTask<byte[]?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken) =>
        new(source.ReadAsync(session => Bson.ReadBytes(session.Get(Collections.Identities, address.ToString())?["key"] ?? BsonValue.Null), cancellationToken));

    public ValueTask<IdentitySaveResult> SaveIdentityAsync(ProtocolAddress address, byte[] identityKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        var copy = identityKey.ToArray();
        return new(source.WriteAsync(session =>
        {
            var id = address.ToString();
            var existing = session.Get(Collections.Identities, id);
            if (existing is not null && existing["key"].AsBinary.AsSpan().SequenceEqual(copy))
            {
                // Every prekey message saves the sender's identity again: unchanged, it is not written (one
                // document and its pages fewer in the inbound commit).
                return IdentitySaveResult.NewOrUnchanged;
            }
            session.Upsert(Collections.Identities, new BsonDocument { ["_id"] = id, ["key"] = copy });
            return existing is null ? IdentitySaveResult.NewOrUnchanged : IdentitySaveResult.Replaced;
        }, cancellationToken));
    }

    public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, byte[] identityKey, TrustDirection direction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        return new(source.ReadAsync(session =>
            session.Get(Collections.Identities, address.ToString()) is not { } doc || doc["key"].AsBinary.AsSpan().SequenceEqual(identityKey),
            cancellationToken));
    }

    private static BsonDocument Credentials(IStoreSession session) =>
        session.Get(Collections.Credentials, "device")
        ?? throw new InvalidOperationException("The tenant has no device credentials yet, so no local identity.");
}
