using System.Security.Cryptography;
using System.Text;
using Gateway.WebProtocol.Client.Pairing;

namespace Gateway.Emulator.Pairing;

/// <summary>
/// The primary's cryptography for pairing by code: PBKDF2 of the code, AES-256-CTR wrapping of ephemeral
/// keys, AES-GCM of the companion's key bundle and the adv secret derivation.
/// </summary>
internal static class LinkCodeCrypto
{
    public const int SaltLength = 32;
    public const int CtrIvLength = 16;
    public const int GcmIvLength = 12;
    private const int Iterations = 2 << 16;

    public static byte[] DeriveCodeKey(string code, ReadOnlySpan<byte> salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(code), salt, Iterations, HashAlgorithmName.SHA256, 32);

    /// <summary>salt || iv || AES-CTR(key(code, salt), iv, publicKey).</summary>
    public static byte[] Wrap(string code, ReadOnlySpan<byte> publicKey)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var iv = RandomNumberGenerator.GetBytes(CtrIvLength);
        return [.. salt, .. iv, .. AesCtr.Transform(DeriveCodeKey(code, salt), iv, publicKey)];
    }

    /// <summary>The 32-byte key inside salt || iv || ciphertext; garbage (not an error) for a wrong code, as in CTR.</summary>
    public static byte[] Unwrap(string code, ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length != SaltLength + CtrIvLength + 32)
        {
            throw new Gateway.WebProtocol.WireFormatException("a wrapped ephemeral key is 80 bytes");
        }

        var key = DeriveCodeKey(code, wrapped[..SaltLength]);
        return AesCtr.Transform(key, wrapped.Slice(SaltLength, CtrIvLength), wrapped[(SaltLength + CtrIvLength)..]);
    }

    /// <summary>Opens salt(32) || iv(12) || ciphertext || tag(16); null when the tag does not verify.</summary>
    public static byte[]? OpenKeyBundle(byte[] sharedSecret, ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length < SaltLength + GcmIvLength + 16)
        {
            return null;
        }

        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, 32, wrapped[..SaltLength].ToArray(),
            "link_code_pairing_key_bundle_encryption_key"u8.ToArray());
        var iv = wrapped.Slice(SaltLength, GcmIvLength);
        var body = wrapped[(SaltLength + GcmIvLength)..];
        var plaintext = new byte[body.Length - 16];
        using var gcm = new AesGcm(key, 16);
        try
        {
            gcm.Decrypt(iv, body[..^16], body[^16..], plaintext);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    public static byte[] DeriveAdvSecret(ReadOnlySpan<byte> ikm) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm.ToArray(), 32, [], "adv_secret"u8.ToArray());
}
