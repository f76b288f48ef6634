namespace Gateway.WebProtocol.Signal.Stores;

/// <summary>Whether an identity key is checked before we encrypt to it or after we decrypt from it.</summary>
public enum TrustDirection
{
    Sending,
    Receiving,
}

/// <summary>What <see cref="IIdentityKeyStore.SaveIdentityAsync"/> did.</summary>
public enum IdentitySaveResult
{
    /// <summary>No key was stored for the address, or the same key was.</summary>
    NewOrUnchanged,

    /// <summary>A different key was stored and has been replaced (the contact reinstalled).</summary>
    Replaced,
}

/// <summary>
/// Our own identity (key pair and registration id) and the identity keys of remote devices, with the trust
/// decision. Keys are the 32-byte raw form.
/// </summary>
public interface IIdentityKeyStore
{
    ValueTask<KeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken);

    ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken);

    ValueTask<byte[]?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken);

    ValueTask<IdentitySaveResult> SaveIdentityAsync(ProtocolAddress address, byte[] identityKey, CancellationToken cancellationToken);

    ValueTask<bool> IsTrustedIdentityAsync(
        ProtocolAddress address, byte[] identityKey, TrustDirection direction, CancellationToken cancellationToken);
}
