using System.Buffers;
using Gateway.WebProtocol.Transport;

namespace Gateway.WebProtocol.Noise;

/// <summary>Which end of the connection a <see cref="FrameSocket"/> is.</summary>
public enum FrameSocketRole
{
    /// <summary>Prepends the client intro to its first frame.</summary>
    Client,

    /// <summary>Expects and strips the client intro before the first frame.</summary>
    Server,
}

/// <summary>
/// Length-prefixed frames over an <see cref="IDuplexTransport"/>. Sends one frame per transport message;
/// receives frames however the transport splits or joins them. Carries no cryptography.
/// </summary>
public sealed class FrameSocket : IAsyncDisposable
{
    /// <summary>Default bytes rented per pending receive; servers with many idle connections pass less.</summary>
    public const int DefaultReceiveChunkSize = 64 * 1024;
    private readonly int receiveChunkSize;
    private readonly IDuplexTransport transport;
    private readonly FrameDecoder decoder;
    private readonly SemaphoreSlim sendGate = new(1, 1);
    private byte[]? intro;
    private int receiving;

    /// <param name="transport">The byte pipe; owned by this socket from now on.</param>
    /// <param name="role">Client or server end.</param>
    /// <param name="routingInfo">Client only: routing info for the <c>ED</c> prefix, if known.</param>
    /// <param name="maxFrameLength">Incoming frames declaring more are a protocol violation.</param>
    /// <param name="receiveChunkSize">
    /// Bytes rented from the pool while a receive is pending. Every idle connection holds one such buffer, so a
    /// server with thousands of connections passes a few KB; larger frames still arrive, in more reads.
    /// </param>
    public FrameSocket(
        IDuplexTransport transport,
        FrameSocketRole role,
        ReadOnlySpan<byte> routingInfo = default,
        int maxFrameLength = FrameCodec.MaxPayloadLength,
        int receiveChunkSize = DefaultReceiveChunkSize)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentOutOfRangeException.ThrowIfLessThan(receiveChunkSize, 256);
        this.receiveChunkSize = receiveChunkSize;
        this.transport = transport;
        Role = role;
        intro = role == FrameSocketRole.Client ? ClientIntro.Build(routingInfo) : null;
        decoder = new FrameDecoder(expectClientIntro: role == FrameSocketRole.Server, maxPayloadLength: maxFrameLength);
    }

    public FrameSocketRole Role { get; }

    /// <summary>Server side: routing info from the client's <c>ED</c> prefix, once the first frame arrived.</summary>
    public byte[]? ClientRoutingInfo => decoder.RoutingInfo;

    /// <summary>Sends one frame (the client's first also carries the intro).</summary>
    public async Task SendFrameAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var frame = FrameCodec.EncodeFrame(payload.Span, intro);
            await transport.SendAsync(frame, cancellationToken).ConfigureAwait(false);
            intro = null;
        }
        finally
        {
            sendGate.Release();
        }
    }

    /// <summary>Returns the next frame payload, or <c>null</c> when the peer closed at a frame boundary.</summary>
    /// <exception cref="ConnectionException">The peer closed mid-frame or broke the frame format.</exception>
    public async Task<byte[]?> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref receiving, 1) != 0)
        {
            throw new InvalidOperationException("only one receive may be pending on a frame socket");
        }

        var chunk = ArrayPool<byte>.Shared.Rent(receiveChunkSize);
        try
        {
            while (true)
            {
                if (TryTakeFrame(out var payload))
                {
                    return payload;
                }

                var count = await transport.ReceiveAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (count == 0)
                {
                    if (decoder.BufferedLength != 0)
                    {
                        throw new ConnectionException(
                            ConnectionFaultKind.Closed, "peer closed in the middle of a frame", isTransient: true);
                    }

                    return null;
                }

                decoder.Append(chunk.AsSpan(0, count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            Volatile.Write(ref receiving, 0);
        }
    }

    public ValueTask CloseAsync(CancellationToken cancellationToken) => transport.CloseAsync(cancellationToken);

    public ValueTask DisposeAsync() => transport.DisposeAsync();

    private bool TryTakeFrame(out byte[] payload)
    {
        try
        {
            return decoder.TryReadFrame(out payload);
        }
        catch (FrameProtocolException ex)
        {
            throw new ConnectionException(
                ConnectionFaultKind.FrameProtocolViolation, $"frame stream violated ({ex.Code})", isTransient: true, ex);
        }
    }
}
