using System.Security.Cryptography;

namespace Gateway.WebProtocol.Signal;

/// <summary>The symmetric primitives of libsignal: HKDF-SHA256 with a zero salt by default, HMAC chains, AES-256-CBC.</summary>
internal static class SignalCrypto
{
    private static readonly byte[] MessageKeySeed = [0x01];
    private static readonly byte[] ChainKeySeed = [0x02];

    /// <summary>HKDF-SHA256. A null salt means 32 zero bytes, which HMAC treats exactly like an empty key.</summary>
    public static void Hkdf(ReadOnlySpan<byte> inputKey, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, inputKey, output, salt, info);

    public static byte[] NextMessageKeySeed(ReadOnlySpan<byte> chainKey) => HMACSHA256.HashData(chainKey, MessageKeySeed);

    public static byte[] NextChainKey(ReadOnlySpan<byte> chainKey) => HMACSHA256.HashData(chainKey, ChainKeySeed);

    public static byte[] EncryptCbc(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        return aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
    }

    /// <summary>AES-256-CBC with PKCS#7; null when the padding or length is wrong.</summary>
    public static byte[]? DecryptCbc(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length == 0 || ciphertext.Length % 16 != 0)
        {
            return null;
        }

        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        try
        {
            return aes.DecryptCbc(ciphertext, iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
