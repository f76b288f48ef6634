using System.Security.Cryptography;
using Gateway.WebProtocol.Signal;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Gateway.WebProtocol.Noise;

/// <summary>
/// The symmetric half of WhatsApp's Noise XX: running hash h, chaining salt, one AES-GCM key and one counter
/// shared by both directions until <see cref="Split"/>. Initiator and responder drive it in mirror order.
/// </summary>
internal sealed class NoiseHandshakeState : IDisposable
{
    private readonly byte[] hash = new byte[32];
    private readonly byte[] salt = new byte[32];
    private AesGcm key;
    private uint counter;

    public NoiseHandshakeState(ReadOnlySpan<byte> prologue)
    {
        NoiseProtocol.ProtocolName.CopyTo(hash);
        NoiseProtocol.ProtocolName.CopyTo(salt);
        key = new AesGcm(hash, NoiseProtocol.TagLength);
        Authenticate(prologue);
    }

    /// <summary>h = SHA256(h || data).</summary>
    public void Authenticate(ReadOnlySpan<byte> data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(hash);
        sha.AppendData(data);
        sha.GetHashAndReset(hash);
    }

    /// <summary>Mixes X25519(local, peer) into the key; rejects low-order peer keys.</summary>
    public void MixSharedSecret(KeyPair local, ReadOnlySpan<byte> peerPublicKey)
    {
        Span<byte> shared = stackalloc byte[32];
        try
        {
            if (peerPublicKey.Length != NoiseProtocol.KeyLength
                || !X25519.CalculateAgreement(local.PrivateKey, peerPublicKey, shared))
            {
                throw new NoiseHandshakeException(HandshakeFailure.InvalidPeerKey, "peer key gives no shared secret");
            }

            MixIntoKey(shared);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    /// <summary>(salt, key) = HKDF-SHA256(ikm, salt, "", 64) split in halves; the counter restarts.</summary>
    public void MixIntoKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> output = stackalloc byte[64];
        DeriveKeys(inputKeyMaterial, output);
        output[..32].CopyTo(salt);
        key.Dispose();
        key = new AesGcm(output[32..], NoiseProtocol.TagLength);
        CryptographicOperations.ZeroMemory(output);
        counter = 0;
    }

    /// <summary>AES-GCM with AAD = h, then h absorbs the ciphertext (tag included).</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[plaintext.Length + NoiseProtocol.TagLength];
        Span<byte> nonce = stackalloc byte[NonceCounter.NonceLength];
        NonceCounter.Write(nonce, counter++);
        key.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), hash);
        Authenticate(output);
        return output;
    }

    /// <summary>Inverse of <see cref="Encrypt"/>; a bad tag is a <see cref="HandshakeFailure.DecryptionFailed"/>.</summary>
    public byte[] Decrypt(ReadOnlySpan<byte> ciphertext, string what)
    {
        if (ciphertext.Length < NoiseProtocol.TagLength)
        {
            throw new NoiseHandshakeException(HandshakeFailure.MalformedMessage, $"{what} is shorter than a tag");
        }

        var length = ciphertext.Length - NoiseProtocol.TagLength;
        var plaintext = new byte[length];
        Span<byte> nonce = stackalloc byte[NonceCounter.NonceLength];
        NonceCounter.Write(nonce, counter++);
        try
        {
            key.Decrypt(nonce, ciphertext[..length], ciphertext[length..], plaintext, hash);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new NoiseHandshakeException(HandshakeFailure.DecryptionFailed, $"{what} does not authenticate", ex);
        }

        Authenticate(ciphertext);
        return plaintext;
    }

    /// <summary>The two transport keys: HKDF(empty, salt) = initiator-to-responder || responder-to-initiator.</summary>
    public (TransportCipher InitiatorToResponder, TransportCipher ResponderToInitiator) Split()
    {
        Span<byte> output = stackalloc byte[64];
        DeriveKeys([], output);
        var pair = (new TransportCipher(output[..32]), new TransportCipher(output[32..]));
        CryptographicOperations.ZeroMemory(output);
        return pair;
    }

    /// <summary>
    /// HKDF-SHA256 with info "". Extract is done by hand: the platform HKDF refuses empty input key material,
    /// which the final split uses.
    /// </summary>
    private void DeriveKeys(ReadOnlySpan<byte> inputKeyMaterial, Span<byte> output)
    {
        Span<byte> pseudoRandomKey = stackalloc byte[32];
        HMACSHA256.HashData(salt, inputKeyMaterial, pseudoRandomKey);
        HKDF.Expand(HashAlgorithmName.SHA256, pseudoRandomKey, output, []);
        CryptographicOperations.ZeroMemory(pseudoRandomKey);
    }

    public void Dispose()
    {
        key.Dispose();
        CryptographicOperations.ZeroMemory(hash);
        CryptographicOperations.ZeroMemory(salt);
    }
}
