using System.Security.Cryptography;
using Gateway.WebProtocol.Transport;

namespace Gateway.WebProtocol.Noise;

/// <summary>
/// One direction of the post-handshake channel: AES-256-GCM, empty AAD, nonce = 8 zero bytes + uint32 BE
/// counter starting at 0. Not thread-safe: the owning socket serialises calls per direction.
/// </summary>
public sealed class TransportCipher : IDisposable
{
    private readonly AesGcm aes;
    private uint counter;
    private bool exhausted;

    public TransportCipher(ReadOnlySpan<byte> key)
    {
        if (key.Length != NoiseProtocol.KeyLength)
        {
            throw new ArgumentException("a transport key is 32 bytes", nameof(key));
        }

        aes = new AesGcm(key, NoiseProtocol.TagLength);
    }

    /// <summary>Messages processed so far in this direction (the next nonce).</summary>
    public uint Counter => counter;

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[plaintext.Length + NoiseProtocol.TagLength];
        Span<byte> nonce = stackalloc byte[NonceCounter.NonceLength];
        NonceCounter.Write(nonce, NextCounter());
        aes.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length));
        return output;
    }

    /// <exception cref="ConnectionException">The frame does not authenticate (<see cref="ConnectionFaultKind.FrameDecryptionFailed"/>).</exception>
    public byte[] Decrypt(ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length < NoiseProtocol.TagLength)
        {
            throw new ConnectionException(
                ConnectionFaultKind.FrameDecryptionFailed, "transport frame shorter than a tag", isTransient: true);
        }

        var length = ciphertext.Length - NoiseProtocol.TagLength;
        var plaintext = new byte[length];
        Span<byte> nonce = stackalloc byte[NonceCounter.NonceLength];
        NonceCounter.Write(nonce, NextCounter());
        try
        {
            aes.Decrypt(nonce, ciphertext[..length], ciphertext[length..], plaintext);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new ConnectionException(
                ConnectionFaultKind.FrameDecryptionFailed, "transport frame does not authenticate", isTransient: true, ex);
        }

        return plaintext;
    }

    public void Dispose() => aes.Dispose();

    private uint NextCounter()
    {
        // Reusing a nonce under one key breaks GCM, so the last counter value ends the connection instead.
        if (exhausted)
        {
            throw new ConnectionException(
                ConnectionFaultKind.CounterExhausted, "transport nonce counter exhausted", isTransient: true);
        }

        var current = counter;
        if (current == uint.MaxValue)
        {
            exhausted = true;
        }
        else
        {
            counter = current + 1;
        }

        return current;
    }
}
