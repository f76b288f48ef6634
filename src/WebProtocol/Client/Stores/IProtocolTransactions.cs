using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.WebProtocol.Client.Stores;

/// <summary>
/// The transactions the protocol library opens on the application's store: the Signal state a decrypt advanced and
/// the decrypted message in the <see cref="IInboundBuffer"/> commit together, or not at all. The library never asks
/// the application to commit anything for it, and the application never commits inside the library's transactions.
/// </summary>
public interface IProtocolTransactions
{
    /// <summary>Runs <paramref name="work"/> with stores bound to one transaction and commits when it returns.</summary>
    Task RunAsync(Func<SignalStores, IInboundBuffer, CancellationToken, Task> work, CancellationToken cancellationToken);
}

/// <summary>
/// No transaction: the work runs on stores that keep each write as it happens (tests, tools). A decrypt that fails
/// keeps what it stored before failing; the ciphers store a session only once its message decrypted.
/// </summary>
public sealed class DirectProtocolTransactions(Func<SignalStores> signal, IInboundBuffer buffer) : IProtocolTransactions
{
    public Task RunAsync(Func<SignalStores, IInboundBuffer, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work(signal(), buffer, cancellationToken);
    }
}
