using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.WebProtocol.Client.Stores;

/// <summary>
/// Answers our own identity key pair and registration id from the credentials the client loaded, and leaves the
/// remote identities to the store underneath. Both are fixed for the life of the credentials (new credentials start
/// a new client), but a persistent store reads them from its credentials document each time: every prekey message
/// sent or received asked for them, a query apiece.
/// </summary>
internal sealed class OwnIdentityKeyStore(IIdentityKeyStore inner, KeyPair identity, uint registrationId) : IIdentityKeyStore
{
    public ValueTask<KeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken) => new(identity);

    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken) => new(registrationId);

    public ValueTask<byte[]?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken) =>
        inner.GetIdentityAsync(address, cancellationToken);

    public ValueTask<IdentitySaveResult> SaveIdentityAsync(ProtocolAddress address, byte[] identityKey, CancellationToken cancellationToken) =>
        inner.SaveIdentityAsync(address, identityKey, cancellationToken);

    public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, byte[] identityKey, TrustDirection direction, CancellationToken cancellationToken) =>
        inner.IsTrustedIdentityAsync(address, identityKey, direction, cancellationToken);

    /// <summary><paramref name="stores"/> with our identity answered from <paramref name="credentials"/>.</summary>
    public static SignalStores Over(SignalStores stores, DeviceCredentials credentials) =>
        stores.Identities is OwnIdentityKeyStore
            ? stores
            : stores with
            {
                Identities = new OwnIdentityKeyStore(
                    stores.Identities, new KeyPair(credentials.IdentityPublicKey, credentials.IdentityPrivateKey), (uint)credentials.RegistrationId),
            };
}
