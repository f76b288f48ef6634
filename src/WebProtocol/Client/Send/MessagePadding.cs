using System.Security.Cryptography;

namespace Gateway.WebProtocol.Client.Send;

/// <summary>
/// The padding around every encrypted Message protobuf: k bytes of value k, k in 1..15 (whatsmeow's range,
/// which Baileys' unpad accepts), so lengths leak less.
/// </summary>
public static class MessagePadding
{
    public static byte[] Pad(ReadOnlySpan<byte> plaintext, RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> one = stackalloc byte[1];
        random.GetBytes(one);
        var count = (one[0] & 0x0F) is 0 ? 0x0F : one[0] & 0x0F;
        var padded = new byte[plaintext.Length + count];
        plaintext.CopyTo(padded);
        padded.AsSpan(plaintext.Length).Fill((byte)count);
        return padded;
    }

    /// <summary>Strips the padding; a last byte of 0 or larger than the data is malformed.</summary>
    public static ReadOnlyMemory<byte> Unpad(ReadOnlyMemory<byte> padded)
    {
        if (padded.IsEmpty)
        {
            throw new WireFormatException("a padded message is empty");
        }

        var count = padded.Span[^1];
        if (count == 0 || count > padded.Length)
        {
            throw new WireFormatException("a message's padding length is out of range");
        }

        return padded[..^count];
    }
}
