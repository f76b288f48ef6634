using System.Buffers.Binary;

namespace Gateway.WebProtocol.Noise;

/// <summary>
/// WhatsApp's frame format: a 3-byte big-endian payload length, then the payload. Pure functions over spans;
/// "need more data" is a <c>false</c> return, a length over the limit is a <see cref="FrameProtocolException"/>.
/// </summary>
public static class FrameCodec
{
    public const int HeaderLength = 3;

    /// <summary>The largest payload the 3-byte length can describe.</summary>
    public const int MaxPayloadLength = 0xFF_FFFF;

    /// <summary>Reads one frame from the start of <paramref name="input"/> if it is complete.</summary>
    /// <param name="input">Buffered bytes, starting at a frame boundary.</param>
    /// <param name="maxPayloadLength">Payloads declared longer than this are a protocol error.</param>
    /// <param name="payload">The payload, a slice of <paramref name="input"/>.</param>
    /// <param name="consumed">Header plus payload length, when a frame was read.</param>
    /// <returns><c>false</c> when more bytes are needed.</returns>
    public static bool TryReadFrame(
        ReadOnlySpan<byte> input, int maxPayloadLength, out ReadOnlySpan<byte> payload, out int consumed)
    {
        payload = default;
        consumed = 0;
        if (input.Length < HeaderLength)
        {
            return false;
        }

        var length = ReadLength(input);
        if (length > maxPayloadLength)
        {
            throw new FrameProtocolException(
                FrameError.FrameTooLarge, $"frame declares {length} bytes, limit is {maxPayloadLength}");
        }

        if (input.Length - HeaderLength < length)
        {
            return false;
        }

        payload = input.Slice(HeaderLength, length);
        consumed = HeaderLength + length;
        return true;
    }

    /// <inheritdoc cref="TryReadFrame(ReadOnlySpan{byte}, int, out ReadOnlySpan{byte}, out int)"/>
    public static bool TryReadFrame(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> payload, out int consumed) =>
        TryReadFrame(input, MaxPayloadLength, out payload, out consumed);

    /// <summary>Writes the header and payload into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WriteFrame(Span<byte> destination, ReadOnlySpan<byte> payload)
    {
        CheckPayloadLength(payload.Length);
        if (destination.Length < HeaderLength + payload.Length)
        {
            throw new ArgumentException("destination too small for the frame", nameof(destination));
        }

        WriteLength(destination, payload.Length);
        payload.CopyTo(destination[HeaderLength..]);
        return HeaderLength + payload.Length;
    }

    /// <summary>Returns <paramref name="prefix"/> (e.g. the client intro), the frame header and the payload.</summary>
    public static byte[] EncodeFrame(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> prefix = default)
    {
        CheckPayloadLength(payload.Length);
        var frame = new byte[prefix.Length + HeaderLength + payload.Length];
        prefix.CopyTo(frame);
        WriteFrame(frame.AsSpan(prefix.Length), payload);
        return frame;
    }

    internal static int ReadLength(ReadOnlySpan<byte> header) =>
        (BinaryPrimitives.ReadUInt16BigEndian(header) << 8) | header[2];

    internal static void WriteLength(Span<byte> header, int length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)(length >> 8));
        header[2] = (byte)length;
    }

    private static void CheckPayloadLength(int length)
    {
        if (length > MaxPayloadLength)
        {
            throw new ArgumentException($"frame payload of {length} bytes exceeds {MaxPayloadLength}", nameof(length));
        }
    }
}
