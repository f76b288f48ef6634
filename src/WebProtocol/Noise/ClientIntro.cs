namespace Gateway.WebProtocol.Noise;

/// <summary>
/// The bytes a client sends before its first frame: an optional <c>ED 00 01 len24 routingInfo</c> prefix, then
/// the 4-byte <c>WA</c> header (magic 6, dictionary version 3). Only the WA header enters the Noise hash.
/// </summary>
public static class ClientIntro
{
    /// <summary>"WA", magic 6, dictionary version 3.</summary>
    public static ReadOnlySpan<byte> WaHeader => [0x57, 0x41, 0x06, 0x03];

    /// <summary>Largest routing block a server accepts; real ones are a few dozen bytes.</summary>
    public const int DefaultMaxRoutingInfoLength = 4096;

    private const int RoutingPrefixLength = 7;

    /// <summary>The intro for a client: the WA header, preceded by the routing prefix when routing info is known.</summary>
    public static byte[] Build(ReadOnlySpan<byte> routingInfo = default)
    {
        if (routingInfo.IsEmpty)
        {
            return WaHeader.ToArray();
        }

        if (routingInfo.Length > FrameCodec.MaxPayloadLength)
        {
            throw new ArgumentException("routing info longer than a 3-byte length allows", nameof(routingInfo));
        }

        var intro = new byte[RoutingPrefixLength + routingInfo.Length + WaHeader.Length];
        intro[0] = (byte)'E';
        intro[1] = (byte)'D';
        intro[2] = 0;
        intro[3] = 1;
        FrameCodec.WriteLength(intro.AsSpan(4), routingInfo.Length);
        routingInfo.CopyTo(intro.AsSpan(RoutingPrefixLength));
        WaHeader.CopyTo(intro.AsSpan(RoutingPrefixLength + routingInfo.Length));
        return intro;
    }

    /// <summary>Server side: recognises the intro at the start of the client's byte stream.</summary>
    /// <param name="input">The first bytes received from the client.</param>
    /// <param name="maxRoutingInfoLength">A longer routing block is a protocol error.</param>
    /// <param name="consumed">Length of the whole intro (prefix and WA header) when it is complete.</param>
    /// <param name="routingInfo">Where the routing block lies in <paramref name="input"/> (empty without a prefix).</param>
    /// <returns><c>false</c> when the bytes so far are a valid beginning but more are needed.</returns>
    public static bool TryRead(
        ReadOnlySpan<byte> input, int maxRoutingInfoLength, out int consumed, out Range routingInfo)
    {
        consumed = 0;
        routingInfo = default;
        var offset = 0;
        var routing = default(Range);
        if (input.Length > 0 && input[0] == (byte)'E')
        {
            ReadOnlySpan<byte> routingMagic = [(byte)'E', (byte)'D', 0, 1];
            var known = Math.Min(input.Length, routingMagic.Length);
            if (!input[..known].SequenceEqual(routingMagic[..known]))
            {
                throw new FrameProtocolException(FrameError.BadRoutingPrefix, "unknown routing prefix");
            }

            if (input.Length < RoutingPrefixLength)
            {
                return false;
            }

            var length = FrameCodec.ReadLength(input[4..]);
            if (length > maxRoutingInfoLength)
            {
                throw new FrameProtocolException(
                    FrameError.BadRoutingPrefix, $"routing info of {length} bytes exceeds {maxRoutingInfoLength}");
            }

            if (input.Length - RoutingPrefixLength < length)
            {
                return false;
            }

            routing = new Range(RoutingPrefixLength, RoutingPrefixLength + length);
            offset = RoutingPrefixLength + length;
        }

        var rest = input[offset..];
        var present = Math.Min(rest.Length, WaHeader.Length);
        if (!rest[..present].SequenceEqual(WaHeader[..present]))
        {
            throw new FrameProtocolException(FrameError.BadIntroHeader, "client intro is not WA 6 3");
        }

        if (present < WaHeader.Length)
        {
            return false;
        }

        consumed = offset + WaHeader.Length;
        routingInfo = routing;
        return true;
    }

    /// <inheritdoc cref="TryRead(ReadOnlySpan{byte}, int, out int, out Range)"/>
    public static bool TryRead(ReadOnlySpan<byte> input, out int consumed, out Range routingInfo) =>
        TryRead(input, DefaultMaxRoutingInfoLength, out consumed, out routingInfo);
}
