namespace Gateway.WebProtocol.Signal.Stores;

/// <summary>
/// Session records by remote device. Sending to a user means all their devices at once, so loading and
/// storing come in batches. A loaded record is the caller's copy: changing it changes nothing stored.
/// </summary>
public interface ISessionStore
{
    ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken);

    /// <summary>Records for those of <paramref name="addresses"/> that have one.</summary>
    ValueTask<IReadOnlyDictionary<ProtocolAddress, SessionRecord>> LoadSessionsAsync(
        IReadOnlyCollection<ProtocolAddress> addresses, CancellationToken cancellationToken);

    ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken);

    ValueTask StoreSessionsAsync(
        IReadOnlyCollection<KeyValuePair<ProtocolAddress, SessionRecord>> records, CancellationToken cancellationToken);

    ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken);

    /// <summary>Deletes the sessions of every device of <paramref name="name"/>.</summary>
    ValueTask DeleteAllSessionsAsync(string name, CancellationToken cancellationToken);
}
