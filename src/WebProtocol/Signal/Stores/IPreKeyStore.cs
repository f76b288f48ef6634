namespace Gateway.WebProtocol.Signal.Stores;

/// <summary>One-time prekeys by id. Uploads come in batches, so storing does too.</summary>
public interface IPreKeyStore
{
    ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken);

    ValueTask StorePreKeysAsync(IReadOnlyCollection<PreKeyRecord> preKeys, CancellationToken cancellationToken);

    ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken);
}
