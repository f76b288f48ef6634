using System.Buffers.Binary;

namespace Gateway.WebProtocol.Noise;

/// <summary>WhatsApp's AES-GCM nonce: 8 zero bytes, then a uint32 big-endian message counter.</summary>
internal static class NonceCounter
{
    public const int NonceLength = 12;

    public static void Write(Span<byte> nonce, uint counter)
    {
        nonce[..8].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], counter);
    }
}
