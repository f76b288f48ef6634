using System.Security.Cryptography;

namespace Gateway.WebProtocol.Media;

/// <summary>An encrypted upload: body = AES-CBC ciphertext || 10-byte MAC, and the hashes the message carries.</summary>
public sealed record EncryptedMedia(byte[] MediaKey, byte[] Body, byte[] FileSha256, byte[] FileEncSha256, long FileLength);

/// <summary>
/// WhatsApp media encryption (protocol notes section 10): keys expanded from a random 32-byte media key with
/// HKDF-SHA256, AES-256-CBC with PKCS7, and a truncated HMAC-SHA256 over iv || ciphertext that we verify on download.
/// </summary>
public static class MediaCrypto
{
    public const int MacLength = 10;

    public static EncryptedMedia Encrypt(ReadOnlySpan<byte> plaintext, MediaKind kind, RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var mediaKey = new byte[32];
        random.GetBytes(mediaKey);
        return Encrypt(plaintext, kind, mediaKey);
    }

    public static EncryptedMedia Encrypt(ReadOnlySpan<byte> plaintext, MediaKind kind, byte[] mediaKey)
    {
        var (iv, cipherKey, macKey) = ExpandKeys(mediaKey, kind);
        using var aes = Aes.Create();
        aes.Key = cipherKey;
        var ciphertext = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
        var body = new byte[ciphertext.Length + MacLength];
        ciphertext.CopyTo(body, 0);
        Mac(macKey, iv, ciphertext).AsSpan(0, MacLength).CopyTo(body.AsSpan(ciphertext.Length));
        return new EncryptedMedia(mediaKey, body, SHA256.HashData(plaintext), SHA256.HashData(body), plaintext.Length);
    }

    /// <summary>Checks the MAC (and the encrypted hash when given), then decrypts.</summary>
    /// <exception cref="MediaException">The MAC or a hash does not match, or the padding is broken.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> body, MediaKind kind, ReadOnlySpan<byte> mediaKey, ReadOnlySpan<byte> expectedFileEncSha256 = default, ReadOnlySpan<byte> expectedFileSha256 = default)
    {
        if (mediaKey.Length != 32)
        {
            throw new MediaException("a media key is 32 bytes");
        }

        if (body.Length < MacLength + 16 || (body.Length - MacLength) % 16 != 0)
        {
            throw new MediaException("encrypted media has an impossible length");
        }

        if (!expectedFileEncSha256.IsEmpty && !SHA256.HashData(body).AsSpan().SequenceEqual(expectedFileEncSha256))
        {
            throw new MediaException("encrypted media hash does not match");
        }

        var (iv, cipherKey, macKey) = ExpandKeys(mediaKey, kind);
        var ciphertext = body[..^MacLength];
        if (!CryptographicOperations.FixedTimeEquals(Mac(macKey, iv, ciphertext).AsSpan(0, MacLength), body[^MacLength..]))
        {
            throw new MediaException("media MAC does not match");
        }

        using var aes = Aes.Create();
        aes.Key = cipherKey;
        byte[] plaintext;
        try
        {
            plaintext = aes.DecryptCbc(ciphertext, iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException ex)
        {
            throw new MediaException("media padding is broken", ex);
        }

        if (!expectedFileSha256.IsEmpty && !SHA256.HashData(plaintext).AsSpan().SequenceEqual(expectedFileSha256))
        {
            throw new MediaException("decrypted media hash does not match");
        }

        return plaintext;
    }

    internal static (byte[] Iv, byte[] CipherKey, byte[] MacKey) ExpandKeys(ReadOnlySpan<byte> mediaKey, MediaKind kind)
    {
        Span<byte> expanded = stackalloc byte[112];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, mediaKey, expanded, [], System.Text.Encoding.ASCII.GetBytes(kind.KeyInfo()));
        return (expanded[..16].ToArray(), expanded[16..48].ToArray(), expanded[48..80].ToArray());
    }

    private static byte[] Mac(byte[] macKey, byte[] iv, ReadOnlySpan<byte> ciphertext)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, macKey);
        hmac.AppendData(iv);
        hmac.AppendData(ciphertext);
        return hmac.GetHashAndReset();
    }
}
