using System.Collections.Concurrent;

namespace Gateway.WebProtocol.Signal.Stores;

public sealed class InMemoryPreKeyStore : IPreKeyStore
{
    private readonly ConcurrentDictionary<uint, PreKeyRecord> preKeys = new();

    public int Count => preKeys.Count;

    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken) =>
        new(preKeys.TryGetValue(preKeyId, out var record) ? record : null);

    public ValueTask StorePreKeysAsync(IReadOnlyCollection<PreKeyRecord> preKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preKeys);
        foreach (var preKey in preKeys)
        {
            this.preKeys[preKey.Id] = preKey;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken)
    {
        preKeys.TryRemove(preKeyId, out _);
        return ValueTask.CompletedTask;
    }
}
