namespace Gateway.WebProtocol.Signal.Stores;

/// <summary>Sender key records by (group, sender device). A loaded record is the caller's copy.</summary>
public interface ISenderKeyStore
{
    ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken);

    ValueTask StoreSenderKeyAsync(SenderKeyName name, SenderKeyRecord record, CancellationToken cancellationToken);

    /// <summary>Forgets every sender's key in a group (our own included), e.g. after a membership change.</summary>
    ValueTask DeleteSenderKeysAsync(string groupId, CancellationToken cancellationToken);
}
