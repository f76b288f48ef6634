using System.Security.Cryptography;

namespace Gateway.WebProtocol.Client.Pairing;

/// <summary>AES-256-CTR with a 128-bit big-endian counter block, built on ECB (the BCL has no CTR mode).</summary>
public static class AesCtr
{
    public static byte[] Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        var counter = iv.ToArray();
        var output = new byte[input.Length];
        Span<byte> keystream = stackalloc byte[16];
        for (var offset = 0; offset < input.Length; offset += 16)
        {
            aes.EncryptEcb(counter, keystream, PaddingMode.None);
            var n = Math.Min(16, input.Length - offset);
            for (var i = 0; i < n; i++)
            {
                output[offset + i] = (byte)(input[offset + i] ^ keystream[i]);
            }

            for (var i = 15; i >= 0 && ++counter[i] == 0; i--)
            {
            }
        }

        return output;
    }
}
