using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Gateway.WebProtocol.Types;

namespace Gateway.WebProtocol.Binary;

/// <summary>The cursor behind <see cref="NodeReader"/>.</summary>
internal ref struct NodeDecoder
{
    // JID parts are strings themselves; a JID inside a JID only comes from hostile input, so keep that shallow.
    private const int MaxJidNesting = 4;

    private readonly ReadOnlySpan<byte> data;
    private int position;
    private int jidNesting;

    public NodeDecoder(ReadOnlySpan<byte> data)
    {
        this.data = data;
        position = 0;
        jidNesting = 0;
    }

    public readonly int Position => position;

    private readonly int Remaining => data.Length - position;

    public Node ReadNode(int depth)
    {
        if (depth > NodeReader.MaxDepth)
        {
            throw new WireFormatException($"nodes nested deeper than {NodeReader.MaxDepth}");
        }

        var size = ReadListSize(ReadByte());
        var tag = size == 0 ? "" : ReadString(ReadByte());
        if (tag.Length == 0)
        {
            throw new WireFormatException("node without a tag");
        }

        var attributeCount = (size - 1) >> 1;
        // Each attribute takes at least a key byte and a value byte.
        if (attributeCount > Remaining / 2)
        {
            throw new WireFormatException("attribute count exceeds the data left");
        }

        var attributes = attributeCount == 0 ? NodeAttributes.Empty : new NodeAttributes(attributeCount);
        for (var i = 0; i < attributeCount; i++)
        {
            var key = ReadString(ReadByte());
            var value = ReadString(ReadByte());
            attributes.Set(key, value);
        }

        if ((size & 1) != 0)
        {
            return new Node(tag, attributes);
        }

        var contentTag = ReadByte();
        switch (contentTag)
        {
            case BinaryTags.ListEmpty or BinaryTags.List8 or BinaryTags.List16:
                return new Node(tag, attributes, ReadChildren(contentTag, depth));
            case BinaryTags.Binary8:
                return new Node(tag, attributes, CopyBytes(ReadByte()));
            case BinaryTags.Binary20:
                return new Node(tag, attributes, CopyBytes(ReadInt20()));
            case BinaryTags.Binary32:
                return new Node(tag, attributes, CopyBytes(ReadInt32Length()));
            default:
                return new Node(tag, attributes, ReadString(contentTag));
        }
    }

    private Node[] ReadChildren(byte listTag, int depth)
    {
        var count = ReadListSize(listTag);
        if (count == 0)
        {
            return [];
        }

        // The smallest node is LIST_8, size, tag token: three bytes.
        if (count > Remaining / 3)
        {
            throw new WireFormatException("child count exceeds the data left");
        }

        var children = new Node[count];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = ReadNode(depth + 1);
        }

        return children;
    }

    private int ReadListSize(byte tag) => tag switch
    {
        BinaryTags.ListEmpty => 0,
        BinaryTags.List8 => ReadByte(),
        BinaryTags.List16 => ReadUInt16(),
        _ => throw new WireFormatException($"tag {tag} does not start a list"),
    };

    private string ReadString(byte tag)
    {
        if (tag is >= 1 and < TokenDictionary.SingleByteCount)
        {
            return TokenDictionary.GetSingleByte(tag);
        }

        switch (tag)
        {
            case BinaryTags.ListEmpty:
                return "";
            case BinaryTags.Dictionary0 or BinaryTags.Dictionary1 or BinaryTags.Dictionary2 or BinaryTags.Dictionary3:
                return TokenDictionary.GetDoubleByte(tag - BinaryTags.Dictionary0, ReadByte());
            case BinaryTags.Binary8:
                return Encoding.UTF8.GetString(ReadBytes(ReadByte()));
            case BinaryTags.Binary20:
                return Encoding.UTF8.GetString(ReadBytes(ReadInt20()));
            case BinaryTags.Binary32:
                return Encoding.UTF8.GetString(ReadBytes(ReadInt32Length()));
            case BinaryTags.Nibble8 or BinaryTags.Hex8:
                return ReadPacked(tag);
            case BinaryTags.JidPair or BinaryTags.AdJid or BinaryTags.FbJid or BinaryTags.InteropJid:
                if (jidNesting >= MaxJidNesting)
                {
                    throw new WireFormatException("JIDs nested too deep");
                }

                jidNesting++;
                try
                {
                    return ReadJid(tag);
                }
                finally
                {
                    jidNesting--;
                }

            default:
                throw new WireFormatException($"tag {tag} does not start a string");
        }
    }

    private string ReadJid(byte tag)
    {
        switch (tag)
        {
            case BinaryTags.JidPair:
            {
                var user = ReadString(ReadByte());
                var server = ReadString(ReadByte());
                return server.Length != 0
                    ? string.Concat(user, "@", server)
                    : throw new WireFormatException("JID pair without a server");
            }

            case BinaryTags.AdJid:
            {
                var domainType = ReadByte();
                var device = ReadByte();
                var user = ReadString(ReadByte());
                var server = domainType switch
                {
                    1 => JidServer.Lid,
                    128 => JidServer.Hosted,
                    129 => JidServer.HostedLid,
                    _ => JidServer.User,
                };
                return device == 0
                    ? string.Concat(user, "@", server)
                    : string.Create(CultureInfo.InvariantCulture, $"{user}:{device}@{server}");
            }

            case BinaryTags.FbJid:
            {
                var user = ReadString(ReadByte());
                var device = ReadUInt16();
                var server = ReadString(ReadByte());
                return string.Create(CultureInfo.InvariantCulture, $"{user}:{device}@{server}");
            }

            default:
            {
                var user = ReadString(ReadByte());
                var device = ReadUInt16();
                var integrator = ReadUInt16();
                var server = TryReadOptionalServer() ?? JidServer.Interop;
                return string.Create(CultureInfo.InvariantCulture, $"{integrator}-{user}:{device}@{server}");
            }
        }
    }

    // Baileys reads a server after an interop JID if one parses and otherwise rewinds to where it was.
    private string? TryReadOptionalServer()
    {
        var before = position;
        if (Remaining == 0)
        {
            return null;
        }

        try
        {
            return ReadString(ReadByte());
        }
        catch (WireFormatException)
        {
            position = before;
            return null;
        }
    }

    private string ReadPacked(byte tag)
    {
        var header = ReadByte();
        var byteCount = header & 0x7F;
        var packed = ReadBytes(byteCount);
        Span<char> chars = stackalloc char[2 * 0x7F];
        for (var i = 0; i < packed.Length; i++)
        {
            chars[2 * i] = Unpack(tag, packed[i] >> 4);
            chars[(2 * i) + 1] = Unpack(tag, packed[i] & 0x0F);
        }

        var length = 2 * byteCount;
        if ((header & 0x80) != 0 && length > 0)
        {
            length--;
        }

        return new string(chars[..length]);
    }

    private static char Unpack(byte tag, int value)
    {
        if (tag == BinaryTags.Hex8)
        {
            return (char)(value < 10 ? '0' + value : 'A' + value - 10);
        }

        return value switch
        {
            < 10 => (char)('0' + value),
            10 => '-',
            11 => '.',
            15 => '\0',
            _ => throw new WireFormatException($"invalid nibble {value}"),
        };
    }

    private byte ReadByte()
    {
        if (position >= data.Length)
        {
            throw new WireFormatException("unexpected end of node data");
        }

        return data[position++];
    }

    private ReadOnlySpan<byte> ReadBytes(int count)
    {
        if ((uint)count > (uint)Remaining)
        {
            throw new WireFormatException($"declared length {count} exceeds the {Remaining} bytes left");
        }

        var slice = data.Slice(position, count);
        position += count;
        return slice;
    }

    // Content is overwritten at once, so skip zeroing: it matters for the megabyte payloads.
    private byte[] CopyBytes(int count)
    {
        var source = ReadBytes(count);
        var copy = GC.AllocateUninitializedArray<byte>(source.Length);
        source.CopyTo(copy);
        return copy;
    }

    private ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(ReadBytes(2));

    private int ReadInt20()
    {
        var bytes = ReadBytes(3);
        return ((bytes[0] & 0x0F) << 16) | (bytes[1] << 8) | bytes[2];
    }

    private int ReadInt32Length()
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(ReadBytes(4));
        return length <= int.MaxValue
            ? (int)length
            : throw new WireFormatException($"declared length {length} exceeds the data left");
    }
}
