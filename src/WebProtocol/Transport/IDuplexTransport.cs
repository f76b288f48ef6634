namespace Gateway.WebProtocol.Transport;

/// <summary>
/// A byte pipe to the peer that knows nothing of the protocol: messages out, bytes in, closed exactly once.
/// One sender and one receiver at a time; the layer above serialises its calls.
/// </summary>
public interface IDuplexTransport : IAsyncDisposable
{
    /// <summary>Sends <paramref name="data"/> as one message (one binary WebSocket message).</summary>
    /// <exception cref="ConnectionException">The transport is closed or broke.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Copies received bytes into <paramref name="buffer"/>; message boundaries are not preserved.</summary>
    /// <returns>The number of bytes copied; 0 once the peer has closed (or after <see cref="CloseAsync"/>).</returns>
    /// <exception cref="ConnectionException">The transport broke.</exception>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Closes the transport. Only the first call does anything; later calls return at once.</summary>
    ValueTask CloseAsync(CancellationToken cancellationToken);
}
