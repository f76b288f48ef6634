using System.Collections.Concurrent;

namespace Gateway.WebProtocol.Signal.Stores;

/// <summary>
/// Trust on first use: an address with no stored key is trusted, afterwards only the stored key is, until
/// the client saves a new one (WhatsApp tells it when a contact's identity changes).
/// </summary>
public sealed class InMemoryIdentityKeyStore(KeyPair identityKeyPair, uint registrationId) : IIdentityKeyStore
{
    private readonly ConcurrentDictionary<ProtocolAddress, byte[]> identities = new();

    public ValueTask<KeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken) => new(identityKeyPair);

    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken) => new(registrationId);

    public ValueTask<byte[]?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken) =>
        new(identities.TryGetValue(address, out var key) ? (byte[])key.Clone() : null);

    public ValueTask<IdentitySaveResult> SaveIdentityAsync(
        ProtocolAddress address, byte[] identityKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        var copy = (byte[])identityKey.Clone();
        var replaced = false;
        identities.AddOrUpdate(
            address,
            copy,
            (_, existing) =>
            {
                replaced = !existing.AsSpan().SequenceEqual(copy);
                return copy;
            });
        return new(replaced ? IdentitySaveResult.Replaced : IdentitySaveResult.NewOrUnchanged);
    }

    public ValueTask<bool> IsTrustedIdentityAsync(
        ProtocolAddress address, byte[] identityKey, TrustDirection direction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        return new(!identities.TryGetValue(address, out var existing) || existing.AsSpan().SequenceEqual(identityKey));
    }
}
