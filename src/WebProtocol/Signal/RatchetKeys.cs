using System.Text;

namespace Gateway.WebProtocol.Signal;

/// <summary>The key derivations of X3DH and the double ratchet, with libsignal's info strings.</summary>
internal static class RatchetKeys
{
    private static readonly byte[] WhisperText = Encoding.ASCII.GetBytes("WhisperText");
    private static readonly byte[] WhisperRatchet = Encoding.ASCII.GetBytes("WhisperRatchet");
    private static readonly byte[] WhisperMessageKeys = Encoding.ASCII.GetBytes("WhisperMessageKeys");

    /// <summary>Root key from the X3DH agreements: HKDF(32 x 0xFF || agreements, zero salt, "WhisperText")[0:32].</summary>
    public static byte[] RootKeyFromAgreements(IReadOnlyList<byte[]> agreements)
    {
        var secret = new byte[32 * (agreements.Count + 1)];
        secret.AsSpan(0, 32).Fill(0xFF);
        for (var i = 0; i < agreements.Count; i++)
        {
            agreements[i].CopyTo(secret, 32 * (i + 1));
        }

        var rootKey = new byte[32];
        SignalCrypto.Hkdf(secret, default, WhisperText, rootKey);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
        return rootKey;
    }

    /// <summary>One ratchet step: HKDF(DH(theirs, ours), salt = root key, "WhisperRatchet") -> (new root key, chain key).</summary>
    public static (byte[] RootKey, byte[] ChainKey) Step(
        ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> theirRatchetKey, ReadOnlySpan<byte> ourRatchetPrivateKey)
    {
        var shared = Curve25519.CalculateAgreement(theirRatchetKey, ourRatchetPrivateKey);
        Span<byte> derived = stackalloc byte[64];
        SignalCrypto.Hkdf(shared, rootKey, WhisperRatchet, derived);
        return (derived[..32].ToArray(), derived[32..].ToArray());
    }

    /// <summary>Cipher key (32), MAC key (32) and IV (16) from a message key seed.</summary>
    public static void MessageKeys(ReadOnlySpan<byte> seed, Span<byte> keys80) =>
        SignalCrypto.Hkdf(seed, default, WhisperMessageKeys, keys80);
}
