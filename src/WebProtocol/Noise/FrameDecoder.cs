namespace Gateway.WebProtocol.Noise;

/// <summary>
/// Turns a byte stream that arrives in arbitrary pieces (several frames per WebSocket message, a frame spread
/// over several) into whole frame payloads. On the server side it first consumes the client intro. The buffer
/// only grows with bytes actually received, never with a declared length.
/// </summary>
public sealed class FrameDecoder
{
    private readonly int maxPayloadLength;
    private readonly int maxRoutingInfoLength;
    private byte[] buffer = [];
    private int start;
    private int end;
    private bool introPending;

    /// <param name="expectClientIntro">True on the server side: the stream starts with the client intro.</param>
    /// <param name="maxPayloadLength">Frames declaring more are rejected with <see cref="FrameError.FrameTooLarge"/>.</param>
    /// <param name="maxRoutingInfoLength">Limit for the routing block of the intro.</param>
    public FrameDecoder(
        bool expectClientIntro = false,
        int maxPayloadLength = FrameCodec.MaxPayloadLength,
        int maxRoutingInfoLength = ClientIntro.DefaultMaxRoutingInfoLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPayloadLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPayloadLength, FrameCodec.MaxPayloadLength);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRoutingInfoLength);
        introPending = expectClientIntro;
        this.maxPayloadLength = maxPayloadLength;
        this.maxRoutingInfoLength = maxRoutingInfoLength;
    }

    /// <summary>The routing block the client sent in its intro, if any (server side, after the intro was read).</summary>
    public byte[]? RoutingInfo { get; private set; }

    /// <summary>Bytes received but not yet returned as frames.</summary>
    public int BufferedLength => end - start;

    /// <summary>Adds received bytes.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (buffer.Length - end < data.Length)
        {
            MakeRoom(data.Length);
        }

        data.CopyTo(buffer.AsSpan(end));
        end += data.Length;
    }

    /// <summary>Returns the next complete frame payload, or <c>false</c> when more bytes are needed.</summary>
    /// <exception cref="FrameProtocolException">The stream is not a valid frame stream.</exception>
    public bool TryReadFrame(out byte[] payload)
    {
        payload = [];
        if (introPending && !TryConsumeIntro())
        {
            return false;
        }

        if (!FrameCodec.TryReadFrame(buffer.AsSpan(start, end - start), maxPayloadLength, out var span, out var consumed))
        {
            return false;
        }

        payload = span.ToArray();
        Advance(consumed);
        return true;
    }

    private bool TryConsumeIntro()
    {
        var pending = buffer.AsSpan(start, end - start);
        if (!ClientIntro.TryRead(pending, maxRoutingInfoLength, out var consumed, out var routing))
        {
            return false;
        }

        var routingBytes = pending[routing];
        RoutingInfo = routingBytes.IsEmpty ? null : routingBytes.ToArray();
        introPending = false;
        Advance(consumed);
        return true;
    }

    private void Advance(int count)
    {
        start += count;
        if (start == end)
        {
            start = 0;
            end = 0;
        }
    }

    private void MakeRoom(int needed)
    {
        var live = end - start;
        if (buffer.Length - live >= needed && start > 0 && live <= buffer.Length / 2)
        {
            buffer.AsSpan(start, live).CopyTo(buffer);
        }
        else
        {
            // Growth is bounded by what has actually arrived: at most twice the live bytes plus the new chunk.
            var size = (int)Math.Min(Array.MaxLength, Math.Max((long)live + needed, 2L * live));
            var grown = new byte[Math.Max(size, 256)];
            buffer.AsSpan(start, live).CopyTo(grown);
            buffer = grown;
        }

        start = 0;
        end = live;
    }
}
