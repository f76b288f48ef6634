namespace Gateway.WebProtocol.Signal;

/// <summary>
/// A Curve25519 key pair in raw form: 32-byte Montgomery u-coordinate and 32-byte private scalar. Signal
/// messages carry the public key as 33 bytes with a 0x05 type prefix; see <see cref="Curve25519.ToSignalPublicKey"/>.
/// </summary>
public sealed class KeyPair
{
    public KeyPair(byte[] publicKey, byte[] privateKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(privateKey);
        if (publicKey.Length != Curve25519.KeyLength)
        {
            throw new ArgumentException("A public key is 32 bytes.", nameof(publicKey));
        }

        if (privateKey.Length != Curve25519.KeyLength)
        {
            throw new ArgumentException("A private key is 32 bytes.", nameof(privateKey));
        }

        PublicKey = publicKey;
        PrivateKey = privateKey;
    }

    /// <summary>32 bytes, the X25519 public key (no type prefix).</summary>
    public byte[] PublicKey { get; }

    /// <summary>32 bytes, the X25519 private scalar.</summary>
    public byte[] PrivateKey { get; }

    /// <summary>Recomputes the pair from a private key alone.</summary>
    public static KeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey32) =>
        new(Curve25519.PublicKeyFromPrivateKey(privateKey32), privateKey32.ToArray());
}
