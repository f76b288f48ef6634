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

    /// <summary>
    /// Several messages that were already waiting, in one unit of work and one commit: <paramref name="work"/>
    /// runs each message's decrypt step through <see cref="IInboundBatch.DecryptAsync"/>, in arrival order. The
    /// client acknowledges the messages only after this returns; if it throws, none of them.
    /// </summary>
    Task RunBatchAsync(Func<IInboundBatch, CancellationToken, Task> work, CancellationToken cancellationToken);
}

/// <summary>One unit of work shared by a batch of inbound messages.</summary>
public interface IInboundBatch
{
    /// <summary>
    /// Runs one message's decrypt step and persists the message it returns. If the step (or persisting) throws,
    /// only this message's store changes are undone and the exception propagates; the batch goes on.
    /// </summary>
    Task<ReceivedMessage> DecryptAsync(Func<SignalStores, CancellationToken, Task<ReceivedMessage>> decrypt, CancellationToken cancellationToken);
}
