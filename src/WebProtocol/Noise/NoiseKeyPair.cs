using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Gateway.WebProtocol.Noise;

/// <summary>An X25519 key pair (32-byte private scalar, 32-byte public u-coordinate) for the Noise handshake.</summary>
public sealed class NoiseKeyPair
{
    private readonly byte[] privateKey;
    private readonly byte[] publicKey;

    private NoiseKeyPair(byte[] privateKey, byte[] publicKey)
    {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public ReadOnlySpan<byte> PublicKey => publicKey;

    /// <summary>The private scalar, clamped the way curve25519-js stores it.</summary>
    public ReadOnlySpan<byte> PrivateKey => privateKey;

    /// <summary>A fresh key pair from <paramref name="random"/> (the system RNG when null).</summary>
    public static NoiseKeyPair Generate(RandomNumberGenerator? random = null)
    {
        Span<byte> seed = stackalloc byte[X25519.ScalarSize];
        if (random is null)
        {
            RandomNumberGenerator.Fill(seed);
        }
        else
        {
            random.GetBytes(seed);
        }

        var pair = FromPrivateKey(seed);
        CryptographicOperations.ZeroMemory(seed);
        return pair;
    }

    /// <summary>Rebuilds a key pair from a stored private key (tests pass seeded bytes here).</summary>
    public static NoiseKeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != X25519.ScalarSize)
        {
            throw new ArgumentException("an X25519 private key is 32 bytes", nameof(privateKey));
        }

        var clamped = privateKey.ToArray();
        clamped[0] &= 248;
        clamped[31] &= 127;
        clamped[31] |= 64;
        var pub = new byte[X25519.PointSize];
        X25519.ScalarMultBase(clamped, 0, pub, 0);
        return new NoiseKeyPair(clamped, pub);
    }

    /// <summary>X25519(this.private, <paramref name="peerPublicKey"/>); false for a low-order peer key.</summary>
    internal bool TryAgree(ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        if (peerPublicKey.Length != X25519.PointSize || sharedSecret.Length != X25519.PointSize)
        {
            return false;
        }

        return X25519.CalculateAgreement(privateKey, peerPublicKey, sharedSecret);
    }
}
