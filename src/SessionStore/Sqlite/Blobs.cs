using System.Buffers.Binary;

namespace Gateway.SessionStore.Sqlite;

/// <summary>Several byte strings as one value (length-prefixed), for records sealed as a whole.</summary>
internal static class Blobs
{
    public static byte[] Join(params byte[][] parts)
    {
        var length = parts.Sum(p => 4 + p.Length);
        var joined = new byte[length];
        var offset = 0;
        foreach (var part in parts)
        {
            BinaryPrimitives.WriteInt32BigEndian(joined.AsSpan(offset), part.Length);
            part.CopyTo(joined.AsSpan(offset + 4));
            offset += 4 + part.Length;
        }

        return joined;
    }

    public static byte[][] Split(byte[] joined, int count)
    {
        var parts = new byte[count][];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            if (joined.Length - offset < 4)
            {
                throw new FormatException("A stored record is shorter than its parts.");
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(joined.AsSpan(offset));
            if (length < 0 || length > joined.Length - offset - 4)
            {
                throw new FormatException("A stored record's part is longer than the record.");
            }

            parts[i] = joined.AsSpan(offset + 4, length).ToArray();
            offset += 4 + length;
        }

        return parts;
    }
}
