using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Gateway.WebProtocol.Binary;

/// <summary>
/// Writes nodes into a span that the caller sized with <see cref="NodeWriter.GetMaxEncodedLength"/>. String
/// representation follows Baileys' writeString: token, nibble-packed, hex-packed, JID, raw UTF-8.
/// </summary>
internal ref struct NodeEncoder
{
    private static readonly SearchValues<char> NibbleChars = SearchValues.Create("0123456789-.");
    private static readonly SearchValues<char> HexChars = SearchValues.Create("0123456789ABCDEF");

    private readonly Span<byte> buffer;
    private int position;

    public NodeEncoder(Span<byte> buffer)
    {
        this.buffer = buffer;
        position = 0;
    }

    public readonly int Position => position;

    public void WriteNode(Node node)
    {
        var attributes = node.Attributes.AsSpan();
        var hasContent = node.ContentKind != NodeContentKind.None;
        WriteListStart((2 * attributes.Length) + 1 + (hasContent ? 1 : 0));
        WriteString(node.Tag);
        foreach (var (key, value) in attributes)
        {
            WriteString(key);
            WriteString(value);
        }

        switch (node.ContentKind)
        {
            case NodeContentKind.Text:
                WriteString(node.Text!);
                break;
            case NodeContentKind.Bytes:
                WriteBytes(node.Bytes!);
                break;
            case NodeContentKind.Children:
                var children = node.Children;
                WriteListStart(children.Count);
                for (var i = 0; i < children.Count; i++)
                {
                    WriteNode(children[i]);
                }

                break;
        }
    }

    private void WriteListStart(int size)
    {
        if (size == 0)
        {
            buffer[position++] = BinaryTags.ListEmpty;
        }
        else if (size < 256)
        {
            buffer[position++] = BinaryTags.List8;
            buffer[position++] = (byte)size;
        }
        else if (size <= ushort.MaxValue)
        {
            buffer[position++] = BinaryTags.List16;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[position..], (ushort)size);
            position += 2;
        }
        else
        {
            throw new ArgumentException($"a list of {size} items does not fit LIST_16");
        }
    }

    private void WriteLengthPrefix(int length)
    {
        if (length >= 1 << 20)
        {
            buffer[position++] = BinaryTags.Binary32;
            BinaryPrimitives.WriteInt32BigEndian(buffer[position..], length);
            position += 4;
        }
        else if (length >= 256)
        {
            buffer[position++] = BinaryTags.Binary20;
            buffer[position++] = (byte)(length >> 16);
            buffer[position++] = (byte)(length >> 8);
            buffer[position++] = (byte)length;
        }
        else
        {
            buffer[position++] = BinaryTags.Binary8;
            buffer[position++] = (byte)length;
        }
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteLengthPrefix(bytes.Length);
        bytes.CopyTo(buffer[position..]);
        position += bytes.Length;
    }

    private void WriteString(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            WriteLengthPrefix(0);
        }
        else if (TokenDictionary.TryGetToken(value, out var dictionary, out var index))
        {
            if (dictionary >= 0)
            {
                buffer[position++] = (byte)(BinaryTags.Dictionary0 + dictionary);
            }

            buffer[position++] = (byte)index;
        }
        else if (value.Length <= BinaryTags.PackedMax && !value.ContainsAnyExcept(NibbleChars))
        {
            WritePacked(value, BinaryTags.Nibble8);
        }
        else if (value.Length <= BinaryTags.PackedMax && !value.ContainsAnyExcept(HexChars))
        {
            WritePacked(value, BinaryTags.Hex8);
        }
        else if (value.Contains('@'))
        {
            WriteJid(value);
        }
        else
        {
            WriteRaw(value);
        }
    }

    private void WriteRaw(ReadOnlySpan<char> value)
    {
        // Short strings cannot reach 256 UTF-8 bytes, long ones always pass 2^20: only the middle needs a count.
        if (value.Length * 3 < 256)
        {
            buffer[position] = BinaryTags.Binary8;
            var written = Encoding.UTF8.GetBytes(value, buffer[(position + 2)..]);
            buffer[position + 1] = (byte)written;
            position += 2 + written;
            return;
        }

        var length = value.Length >= 1 << 20 ? value.Length : Encoding.UTF8.GetByteCount(value);
        if (length >= 1 << 20)
        {
            var start = position;
            position += 5;
            var written = Encoding.UTF8.GetBytes(value, buffer[position..]);
            buffer[start] = BinaryTags.Binary32;
            BinaryPrimitives.WriteInt32BigEndian(buffer[(start + 1)..], written);
            position += written;
            return;
        }

        WriteLengthPrefix(length);
        position += Encoding.UTF8.GetBytes(value, buffer[position..]);
    }

    private void WritePacked(ReadOnlySpan<char> value, byte tag)
    {
        buffer[position++] = tag;
        var odd = (value.Length & 1) != 0;
        buffer[position++] = (byte)(((value.Length + 1) >> 1) | (odd ? 0x80 : 0));
        var pairs = value.Length >> 1;
        for (var i = 0; i < pairs; i++)
        {
            buffer[position++] = (byte)((PackedValue(value[2 * i]) << 4) | PackedValue(value[(2 * i) + 1]));
        }

        if (odd)
        {
            buffer[position++] = (byte)((PackedValue(value[^1]) << 4) | 0x0F);
        }
    }

    // Both alphabets share 0-9; '-' and '.' only occur in nibble strings, 'A'-'F' only in hex ones.
    private static int PackedValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        '-' => 10,
        '.' => 11,
        _ => c - 'A' + 10,
    };

    /// <summary>Baileys' jidDecode + writeJid: a device part makes it AD_JID (the server then only survives as the
    /// domain type), otherwise JID_PAIR of the user before any '_' and the server.</summary>
    private void WriteJid(ReadOnlySpan<char> value)
    {
        var at = value.IndexOf('@');
        var server = value[(at + 1)..];
        var userCombined = value[..at];

        var userAgent = userCombined;
        var device = ReadOnlySpan<char>.Empty;
        var colon = userCombined.IndexOf(':');
        if (colon >= 0)
        {
            userAgent = userCombined[..colon];
            device = userCombined[(colon + 1)..];
            var nextColon = device.IndexOf(':');
            if (nextColon >= 0)
            {
                device = device[..nextColon];
            }
        }

        var user = userAgent;
        var agent = ReadOnlySpan<char>.Empty;
        var underscore = userAgent.IndexOf('_');
        if (underscore >= 0)
        {
            user = userAgent[..underscore];
            agent = userAgent[(underscore + 1)..];
            var nextUnderscore = agent.IndexOf('_');
            if (nextUnderscore >= 0)
            {
                agent = agent[..nextUnderscore];
            }
        }

        if (!device.IsEmpty)
        {
            byte domainType = server switch
            {
                "lid" => 1,
                "hosted" => 128,
                "hosted.lid" => 129,
                _ => agent.IsEmpty ? (byte)0 : JsNumberSemantics.ParseIntLowByte(agent),
            };
            buffer[position++] = BinaryTags.AdJid;
            buffer[position++] = domainType;
            buffer[position++] = JsNumberSemantics.NumberLowByte(device);
            WriteString(user);
            return;
        }

        buffer[position++] = BinaryTags.JidPair;
        if (user.IsEmpty)
        {
            buffer[position++] = BinaryTags.ListEmpty;
        }
        else
        {
            WriteString(user);
        }

        WriteString(server);
    }
}
