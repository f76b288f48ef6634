using System.Buffers.Binary;

namespace Gateway.Emulator.Stanzas;

/// <summary>The fixed-width big-endian integers of prekey and registration stanzas (3 or 4 bytes).</summary>
internal static class BigEndian
{
    public static uint Read(ReadOnlySpan<byte> bytes, int width)
    {
        if (bytes.Length != width || width is < 1 or > 4)
        {
            throw new Gateway.WebProtocol.WireFormatException($"expected a {width}-byte integer, got {bytes.Length} bytes");
        }

        Span<byte> padded = stackalloc byte[4];
        padded.Clear();
        bytes.CopyTo(padded[(4 - width)..]);
        return BinaryPrimitives.ReadUInt32BigEndian(padded);
    }

    public static byte[] Write(uint value, int width)
    {
        Span<byte> full = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(full, value);
        return full[(4 - width)..].ToArray();
    }
}
