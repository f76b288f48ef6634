using System.Collections.Concurrent;

namespace Gateway.WebProtocol.Signal.Stores;

public sealed class InMemorySignedPreKeyStore : ISignedPreKeyStore
{
    private readonly ConcurrentDictionary<uint, SignedPreKeyRecord> signedPreKeys = new();

    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken) =>
        new(signedPreKeys.TryGetValue(signedPreKeyId, out var record) ? record : null);

    public ValueTask<IReadOnlyList<SignedPreKeyRecord>> LoadSignedPreKeysAsync(CancellationToken cancellationToken) =>
        new(signedPreKeys.Values.OrderBy(record => record.Id).ToList());

    public ValueTask StoreSignedPreKeyAsync(SignedPreKeyRecord signedPreKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signedPreKey);
        signedPreKeys[signedPreKey.Id] = signedPreKey;
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken)
    {
        signedPreKeys.TryRemove(signedPreKeyId, out _);
        return ValueTask.CompletedTask;
    }
}
