using System.Collections.Concurrent;

namespace Gateway.WebProtocol.Signal.Stores;

/// <summary>Holds records as their serialised bytes, as a persistent store would, so callers never share state.</summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private readonly ConcurrentDictionary<ProtocolAddress, byte[]> sessions = new();

    public int Count => sessions.Count;

    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken) =>
        new(sessions.TryGetValue(address, out var bytes) ? SessionRecord.Deserialize(bytes) : null);

    public ValueTask<IReadOnlyDictionary<ProtocolAddress, SessionRecord>> LoadSessionsAsync(
        IReadOnlyCollection<ProtocolAddress> addresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var result = new Dictionary<ProtocolAddress, SessionRecord>();
        foreach (var address in addresses)
        {
            if (sessions.TryGetValue(address, out var bytes))
            {
                result[address] = SessionRecord.Deserialize(bytes);
            }
        }

        return new(result);
    }

    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        sessions[address] = record.Serialize();
        return ValueTask.CompletedTask;
    }

    public ValueTask StoreSessionsAsync(
        IReadOnlyCollection<KeyValuePair<ProtocolAddress, SessionRecord>> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var (address, record) in records)
        {
            sessions[address] = record.Serialize();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken)
    {
        sessions.TryRemove(address, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAllSessionsAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var address in sessions.Keys.Where(address => address.Name == name))
        {
            sessions.TryRemove(address, out _);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Serialised size of one record; lets tests check that state stays bounded.</summary>
    public int SizeOf(ProtocolAddress address) => sessions.TryGetValue(address, out var bytes) ? bytes.Length : 0;
}
