using System.Threading.Channels;

namespace Gateway.WebProtocol.Transport;

/// <summary>
/// One end of an in-process duplex pipe, for tests and the emulator: each <see cref="SendAsync"/> becomes one
/// message for the other end. Closing an end completes its outgoing channel, which the peer reads as end of stream.
/// </summary>
public sealed class InMemoryDuplexTransport : IDuplexTransport
{
    private readonly ChannelWriter<byte[]> outgoing;
    private readonly ChannelReader<byte[]> incoming;
    private ReadOnlyMemory<byte> pending;
    private int closed;

    private InMemoryDuplexTransport(ChannelWriter<byte[]> outgoing, ChannelReader<byte[]> incoming)
    {
        this.outgoing = outgoing;
        this.incoming = incoming;
    }

    /// <summary>Two connected ends; <paramref name="capacity"/> messages may be in flight per direction.</summary>
    public static (InMemoryDuplexTransport Client, InMemoryDuplexTransport Server) CreatePair(int capacity = 64)
    {
        var options = new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        };
        var toServer = Channel.CreateBounded<byte[]>(options);
        var toClient = Channel.CreateBounded<byte[]>(options);
        return (new InMemoryDuplexTransport(toServer.Writer, toClient.Reader),
                new InMemoryDuplexTransport(toClient.Writer, toServer.Reader));
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await outgoing.WriteAsync(data.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new ConnectionException(ConnectionFaultKind.Closed, "in-memory transport is closed", isTransient: true, ex);
        }
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (pending.IsEmpty)
        {
            if (Volatile.Read(ref closed) != 0)
            {
                return 0;
            }

            if (!await incoming.WaitToReadAsync(cancellationToken).ConfigureAwait(false)
                || !incoming.TryRead(out var message))
            {
                return 0;
            }

            pending = message;
        }

        var count = Math.Min(buffer.Length, pending.Length);
        pending[..count].CopyTo(buffer);
        pending = pending[count..];
        return count;
    }

    public ValueTask CloseAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref closed, 1) == 0)
        {
            outgoing.TryComplete();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => CloseAsync(CancellationToken.None);
}
