using System.Collections.Concurrent;

namespace Gateway.WebProtocol.Signal.Stores;

/// <summary>Holds records as their serialised bytes, as a persistent store would, so callers never share state.</summary>
public sealed class InMemorySenderKeyStore : ISenderKeyStore
{
    private readonly ConcurrentDictionary<SenderKeyName, byte[]> senderKeys = new();

    public ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken) =>
        new(senderKeys.TryGetValue(name, out var bytes) ? SenderKeyRecord.Deserialize(bytes) : null);

    public ValueTask StoreSenderKeyAsync(SenderKeyName name, SenderKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        senderKeys[name] = record.Serialize();
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteSenderKeysAsync(string groupId, CancellationToken cancellationToken)
    {
        foreach (var name in senderKeys.Keys.Where(name => name.GroupId == groupId))
        {
            senderKeys.TryRemove(name, out _);
        }

        return ValueTask.CompletedTask;
    }

    public int SizeOf(SenderKeyName name) => senderKeys.TryGetValue(name, out var bytes) ? bytes.Length : 0;
}
