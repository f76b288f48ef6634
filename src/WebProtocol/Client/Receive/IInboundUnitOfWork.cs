using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.WebProtocol.Client;

/// <summary>
/// The "commit, then ack" seam. For each inbound message the client calls <see cref="RunAsync"/> with a
/// decrypt step; the implementation opens one unit of work, runs the step against that unit's Signal stores,
/// persists the message it returns in the same unit, and commits. The client sends the receipt and ack only
/// after this returns; if it throws, nothing is acknowledged and WhatsApp redelivers.
/// </summary>
public interface IInboundUnitOfWork
{
    Task RunAsync(Func<SignalStores, CancellationToken, Task<ReceivedMessage>> decrypt, CancellationToken cancellationToken);
}

/// <summary>Decrypts against the client's own stores and persists nothing else (tests, tools).</summary>
public sealed class DirectInboundUnitOfWork(SignalStores stores) : IInboundUnitOfWork
{
    public async Task RunAsync(Func<SignalStores, CancellationToken, Task<ReceivedMessage>> decrypt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decrypt);
        await decrypt(stores, cancellationToken).ConfigureAwait(false);
    }
}
