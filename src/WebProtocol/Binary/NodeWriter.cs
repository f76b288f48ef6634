using System.Buffers;

namespace Gateway.WebProtocol.Binary;

/// <summary>
/// Encodes a <see cref="Node"/> into the binary format, choosing the same representation as Baileys'
/// encodeBinaryNode for every string, so the bytes are identical.
/// </summary>
public static class NodeWriter
{
    private const int StackThreshold = 256;

    /// <summary>Encodes <paramref name="node"/> into a new array of exactly the encoded length.</summary>
    public static byte[] Encode(Node node) => EncodeWithPrefix(node, ReadOnlySpan<byte>.Empty);

    /// <summary>Encodes into <paramref name="destination"/>; false when it is too small.</summary>
    public static bool TryEncode(Node node, Span<byte> destination, out int bytesWritten)
    {
        ArgumentNullException.ThrowIfNull(node);
        var max = GetMaxEncodedLength(node);
        if (destination.Length >= max)
        {
            var direct = new NodeEncoder(destination);
            direct.WriteNode(node);
            bytesWritten = direct.Position;
            return true;
        }

        byte[]? rented = null;
        var scratch = max <= StackThreshold ? stackalloc byte[StackThreshold] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var encoder = new NodeEncoder(scratch);
            encoder.WriteNode(node);
            if (encoder.Position > destination.Length)
            {
                bytesWritten = 0;
                return false;
            }

            scratch[..encoder.Position].CopyTo(destination);
            bytesWritten = encoder.Position;
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>An upper bound of the encoded length, cheap to compute (no string classification).</summary>
    public static int GetMaxEncodedLength(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var total = MaxNodeLength(node, 0);
        return total <= Array.MaxLength
            ? (int)total
            : throw new ArgumentException("node too large to encode", nameof(node));
    }

    /// <summary>Encodes <paramref name="node"/> after <paramref name="prefix"/> (the frame flag byte) into one array.</summary>
    internal static byte[] EncodeWithPrefix(Node node, ReadOnlySpan<byte> prefix)
    {
        var max = GetMaxEncodedLength(node) + prefix.Length;
        byte[]? rented = null;
        var scratch = max <= StackThreshold ? stackalloc byte[StackThreshold] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            prefix.CopyTo(scratch);
            var encoder = new NodeEncoder(scratch[prefix.Length..]);
            encoder.WriteNode(node);
            return scratch[..(prefix.Length + encoder.Position)].ToArray();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // A string of n UTF-16 units never takes more than 6n + 5 bytes: raw UTF-8 is at most 5 + 3n, a JID pair splits
    // at '@' into two strings whose bounds add up to 6(n + 1) - 2 plus its tag byte, AD_JID adds 3 to a shorter user.
    private static long MaxStringLength(string value) => (6L * value.Length) + 5;

    private static long MaxNodeLength(Node node, int depth)
    {
        if (depth > NodeReader.MaxDepth)
        {
            throw new ArgumentException($"node nesting deeper than {NodeReader.MaxDepth}", nameof(node));
        }

        var total = 3 + MaxStringLength(node.Tag);
        foreach (var (key, value) in node.Attributes.AsSpan())
        {
            total += MaxStringLength(key) + MaxStringLength(value);
        }

        switch (node.ContentKind)
        {
            case NodeContentKind.Bytes:
                total += 5 + node.Bytes!.Length;
                break;
            case NodeContentKind.Text:
                total += MaxStringLength(node.Text!);
                break;
            case NodeContentKind.Children:
                total += 3;
                foreach (var child in node.Children)
                {
                    total += MaxNodeLength(child, depth + 1);
                }

                break;
        }

        return total;
    }
}
