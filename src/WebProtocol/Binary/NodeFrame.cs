using System.Buffers;

namespace Gateway.WebProtocol.Binary;

/// <summary>
/// The plaintext of a Noise frame: one flag byte, then the node. Flag bit 2 means the rest is zlib-compressed;
/// we always send uncompressed (flag 0), as Baileys does.
/// </summary>
public static class NodeFrame
{
    public const byte CompressedFlag = 2;

    /// <summary>Default cap on an inflated node; a Noise frame itself is at most 16 MiB.</summary>
    public const int DefaultMaxInflatedLength = 16 * 1024 * 1024;

    /// <summary>Flag byte 0 followed by the encoded node.</summary>
    public static byte[] Encode(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return NodeWriter.EncodeWithPrefix(node, [0]);
    }

    /// <summary>Decodes a frame plaintext; compressed bodies inflate to at most <paramref name="maxInflatedLength"/>.</summary>
    public static Node Decode(ReadOnlySpan<byte> plaintext, int maxInflatedLength = DefaultMaxInflatedLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxInflatedLength);
        if (plaintext.IsEmpty)
        {
            throw new WireFormatException("empty frame");
        }

        if ((plaintext[0] & CompressedFlag) == 0)
        {
            return NodeReader.Decode(plaintext[1..]);
        }

        var (buffer, length) = BoundedZlib.Inflate(plaintext[1..], maxInflatedLength);
        try
        {
            return NodeReader.Decode(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
