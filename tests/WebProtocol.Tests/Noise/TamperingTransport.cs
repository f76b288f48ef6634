using Gateway.WebProtocol.Transport;

namespace Gateway.WebProtocol.Tests.Noise;

/// <summary>Passes messages through, except that it flips one bit of the chosen outgoing message.</summary>
internal sealed class TamperingTransport(IDuplexTransport inner, int messageIndex, int byteIndex) : IDuplexTransport
{
    private int sent;

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (sent++ == messageIndex)
        {
            var copy = data.ToArray();
            copy[byteIndex < 0 ? copy.Length + byteIndex : byteIndex] ^= 0x01;
            data = copy;
        }

        return inner.SendAsync(data, cancellationToken);
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public ValueTask CloseAsync(CancellationToken cancellationToken) => inner.CloseAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
