using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.WebProtocol.Client;

/// <summary>
/// Decrypts against the client's own stores and persists nothing else (tests, tools). Those stores keep each write
/// as it happens and have no transaction: a batch is the messages one after another, and a message that fails
/// keeps what its decrypt stored before it failed (the ciphers store a session only once its message decrypted).
/// </summary>
public sealed class DirectInboundUnitOfWork(SignalStores stores) : IInboundUnitOfWork, IInboundBatch
{
    public async Task RunAsync(Func<SignalStores, CancellationToken, Task<ReceivedMessage>> decrypt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decrypt);
        await decrypt(stores, cancellationToken).ConfigureAwait(false);
    }

    public Task RunBatchAsync(Func<IInboundBatch, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work(this, cancellationToken);
    }

    public Task<ReceivedMessage> DecryptAsync(Func<SignalStores, CancellationToken, Task<ReceivedMessage>> decrypt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decrypt);
        return decrypt(stores, cancellationToken);
    }
}
