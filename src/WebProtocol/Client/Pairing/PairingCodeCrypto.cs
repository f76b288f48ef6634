using System.Security.Cryptography;
using System.Text;
using Gateway.WebProtocol.Signal;

namespace Gateway.WebProtocol.Client.Pairing;

/// <summary>
/// The phone-number pairing flow's cryptography (protocol notes section 4, "Pairing code"): the code, the
/// wrapped ephemeral key for companion_hello, and the key bundle plus new ADV secret for companion_finish.
/// </summary>
internal static class PairingCodeCrypto
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";
    private const int Iterations = 2 << 16;

    /// <summary>8 characters: the 40 bits of 5 random bytes, 5 bits per character.</summary>
    public static string NewCode(RandomNumberGenerator random)
    {
        Span<byte> bytes = stackalloc byte[5];
        random.GetBytes(bytes);
        ulong bits = 0;
        foreach (var b in bytes)
        {
            bits = (bits << 8) | b;
        }

        var chars = new char[8];
        for (var i = 7; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(bits & 31)];
            bits >>= 5;
        }

        return new string(chars);
    }

    public static byte[] DeriveKey(string code, ReadOnlySpan<byte> salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(code), salt, Iterations, HashAlgorithmName.SHA256, 32);

    /// <summary>salt(32) || iv(16) || AES-256-CTR(key(code, salt), ephemeral public key).</summary>
    public static byte[] WrapEphemeral(string code, ReadOnlySpan<byte> ephemeralPublic, RandomNumberGenerator random)
    {
        var salt = new byte[32];
        var iv = new byte[16];
        random.GetBytes(salt);
        random.GetBytes(iv);
        var ciphertext = AesCtr.Transform(DeriveKey(code, salt), iv, ephemeralPublic);
        return [.. salt, .. iv, .. ciphertext];
    }

    public static byte[] UnwrapEphemeral(string code, ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length != 80)
        {
            throw new WireFormatException("a wrapped pairing key is salt(32) || iv(16) || key(32)");
        }

        return AesCtr.Transform(DeriveKey(code, wrapped[..32]), wrapped[32..48], wrapped[48..]);
    }

    /// <summary>The companion_finish bundle and the ADV secret both sides derive from the two agreements.</summary>
    public static (byte[] WrappedBundle, byte[] AdvSecret) Finish(
        KeyPair pairingEphemeral, ReadOnlySpan<byte> primaryEphemeralPublic, KeyPair identity, ReadOnlySpan<byte> primaryIdentityPublic, RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(pairingEphemeral);
        ArgumentNullException.ThrowIfNull(identity);
        var shared = Curve25519.CalculateAgreement(primaryEphemeralPublic, pairingEphemeral.PrivateKey);
        var secret = new byte[32];
        var salt = new byte[32];
        var iv = new byte[12];
        random.GetBytes(secret);
        random.GetBytes(salt);
        random.GetBytes(iv);
        var bundleKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, salt, "link_code_pairing_key_bundle_encryption_key"u8.ToArray());
        byte[] plaintext = [.. identity.PublicKey, .. primaryIdentityPublic, .. secret];
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        using (var gcm = new AesGcm(bundleKey, 16))
        {
            gcm.Encrypt(iv, plaintext, ciphertext, tag);
        }

        var identityShared = Curve25519.CalculateAgreement(primaryIdentityPublic, identity.PrivateKey);
        var advSecret = HKDF.DeriveKey(HashAlgorithmName.SHA256, [.. shared, .. identityShared, .. secret], 32, [], "adv_secret"u8.ToArray());
        return ([.. salt, .. iv, .. ciphertext, .. tag], advSecret);
    }
}
