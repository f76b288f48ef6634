namespace Gateway.WebProtocol.Signal.Stores;

/// <summary>Signed prekeys by id; the client keeps the current one and a few recent ones during rotation.</summary>
public interface ISignedPreKeyStore
{
    ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<SignedPreKeyRecord>> LoadSignedPreKeysAsync(CancellationToken cancellationToken);

    ValueTask StoreSignedPreKeyAsync(SignedPreKeyRecord signedPreKey, CancellationToken cancellationToken);

    ValueTask RemoveSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken);
}
