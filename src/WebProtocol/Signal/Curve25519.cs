using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// Curve25519 as Signal uses it: X25519 agreement and XEdDSA signatures with the same key pair. Signatures
/// are deterministic and byte-identical to curve25519-js <c>curve25519_sign</c> (the library npm libsignal
/// uses): the sign bit of the Edwards public key travels in the top bit of the signature instead of being
/// forced to zero, and verification accepts both that form and standard XEdDSA.
/// </summary>
public static class Curve25519
{
    public const int KeyLength = 32;
    public const int SignatureLength = 64;

    /// <summary>The type byte before a public key inside Signal messages (DJB type).</summary>
    public const byte DjbKeyType = 0x05;

    /// <summary>Generates a key pair from the system CSPRNG.</summary>
    public static KeyPair GenerateKeyPair()
    {
        var privateKey = new byte[KeyLength];
        RandomNumberGenerator.Fill(privateKey);
        return FromRandomBytes(privateKey);
    }

    /// <summary>Generates a key pair from <paramref name="random"/>, the RNG seam (tests pass a seeded source).</summary>
    public static KeyPair GenerateKeyPair(RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var privateKey = new byte[KeyLength];
        random.GetBytes(privateKey);
        return FromRandomBytes(privateKey);
    }

    private static KeyPair FromRandomBytes(byte[] privateKey)
    {
        X25519.ClampPrivateKey(privateKey);
        return new KeyPair(PublicKeyFromPrivateKey(privateKey), privateKey);
    }

    public static byte[] PublicKeyFromPrivateKey(ReadOnlySpan<byte> privateKey32)
    {
        RequireLength(privateKey32, KeyLength, nameof(privateKey32));
        var publicKey = new byte[KeyLength];
        X25519.ScalarMultBase(privateKey32, publicKey);
        return publicKey;
    }

    /// <summary>X25519. Throws <see cref="ArgumentException"/> for a public key of low order (all-zero secret).</summary>
    public static byte[] CalculateAgreement(ReadOnlySpan<byte> publicKey32, ReadOnlySpan<byte> privateKey32)
    {
        RequireLength(publicKey32, KeyLength, nameof(publicKey32));
        RequireLength(privateKey32, KeyLength, nameof(privateKey32));
        var shared = new byte[KeyLength];
        if (!X25519.CalculateAgreement(privateKey32, publicKey32, shared))
        {
            throw new ArgumentException("The public key is of low order.", nameof(publicKey32));
        }

        return shared;
    }

    /// <summary>XEdDSA signature as curve25519-js makes it (deterministic, no random suffix).</summary>
    public static byte[] CalculateSignature(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> message)
    {
        RequireLength(privateKey32, KeyLength, nameof(privateKey32));
        var signature = new byte[SignatureLength];
        XEdDsa.Sign(privateKey32, message, signature);
        return signature;
    }

    /// <summary>
    /// Verifies an XEdDSA signature. False for a wrong signature, a key that is not on the curve, or a
    /// signature of the wrong length.
    /// </summary>
    public static bool VerifySignature(ReadOnlySpan<byte> publicKey32, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64)
    {
        RequireLength(publicKey32, KeyLength, nameof(publicKey32));
        if (signature64.Length != SignatureLength)
        {
            return false;
        }

        Span<byte> edwardsKey = stackalloc byte[KeyLength];
        if (!EdwardsPoint.MontgomeryToEdwardsY(publicKey32, edwardsKey))
        {
            return false;
        }

        edwardsKey[31] |= (byte)(signature64[63] & 0x80);
        Span<byte> signature = stackalloc byte[SignatureLength];
        signature64.CopyTo(signature);
        signature[63] &= 0x7F;
        return Ed25519.Verify(signature, edwardsKey, message);
    }

    /// <summary>The 33-byte form (0x05 || key) used inside Signal messages.</summary>
    public static byte[] ToSignalPublicKey(ReadOnlySpan<byte> publicKey32)
    {
        RequireLength(publicKey32, KeyLength, nameof(publicKey32));
        var result = new byte[KeyLength + 1];
        result[0] = DjbKeyType;
        publicKey32.CopyTo(result.AsSpan(1));
        return result;
    }

    /// <summary>
    /// Reads a public key from a Signal message: 33 bytes with the 0x05 prefix. Anything else is
    /// malformed wire data.
    /// </summary>
    public static byte[] FromSignalPublicKey(ReadOnlySpan<byte> publicKey33)
    {
        if (publicKey33.Length != KeyLength + 1 || publicKey33[0] != DjbKeyType)
        {
            throw new WireFormatException("A Signal public key is 33 bytes starting with 0x05.");
        }

        return publicKey33[1..].ToArray();
    }

    private static void RequireLength(ReadOnlySpan<byte> value, int length, string name)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"Expected {length} bytes, got {value.Length}.", name);
        }
    }
}
