namespace Gateway.WebProtocol.Binary;

/// <summary>
/// Decodes the binary node format. Pure and bounded: nesting is limited, every declared length and count is
/// checked against the bytes left before anything is allocated, and malformed input only ever raises
/// <see cref="WireFormatException"/>. Strings decode exactly as in Baileys' decodeDecompressedBinaryNode.
/// </summary>
public static class NodeReader
{
    /// <summary>Deepest node nesting accepted (real stanzas stay under 10).</summary>
    public const int MaxDepth = 64;

    /// <summary>Decodes one node that must span all of <paramref name="data"/>.</summary>
    public static Node Decode(ReadOnlySpan<byte> data)
    {
        var node = Decode(data, out var consumed);
        return consumed == data.Length
            ? node
            : throw new WireFormatException($"{data.Length - consumed} bytes left after the node");
    }

    /// <summary>Decodes the node at the start of <paramref name="data"/>; trailing bytes are left to the caller.</summary>
    public static Node Decode(ReadOnlySpan<byte> data, out int bytesConsumed)
    {
        var decoder = new NodeDecoder(data);
        var node = decoder.ReadNode(0);
        bytesConsumed = decoder.Position;
        return node;
    }
}
