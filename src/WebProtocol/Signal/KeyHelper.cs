using System.Security.Cryptography;

namespace Gateway.WebProtocol.Signal;

/// <summary>Key material a device creates for itself: registration id, signed prekey, one-time prekeys.</summary>
public static class KeyHelper
{
    /// <summary>14 bits, as libsignal makes it (random &amp; 0x3FFF).</summary>
    public static uint GenerateRegistrationId(RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[2];
        random.GetBytes(bytes);
        return (uint)(((bytes[0] << 8) | bytes[1]) & 0x3FFF);
    }

    /// <summary>A signed prekey: the signature covers the 33-byte form (0x05 || public key).</summary>
    public static SignedPreKeyRecord GenerateSignedPreKey(
        KeyPair identityKeyPair, uint signedPreKeyId, RandomNumberGenerator random, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(identityKeyPair);
        ArgumentNullException.ThrowIfNull(time);
        var keyPair = Curve25519.GenerateKeyPair(random);
        var signature = Curve25519.CalculateSignature(identityKeyPair.PrivateKey, Curve25519.ToSignalPublicKey(keyPair.PublicKey));
        return new SignedPreKeyRecord(signedPreKeyId, keyPair, signature, time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary><paramref name="count"/> one-time prekeys with consecutive ids from <paramref name="firstId"/>.</summary>
    public static IReadOnlyList<PreKeyRecord> GeneratePreKeys(uint firstId, int count, RandomNumberGenerator random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new PreKeyRecord[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = new PreKeyRecord(firstId + (uint)i, Curve25519.GenerateKeyPair(random));
        }

        return result;
    }

    /// <summary>A bundle for our own keys, as the server would hand it to a peer.</summary>
    public static PreKeyBundle CreateBundle(
        uint registrationId, KeyPair identityKeyPair, SignedPreKeyRecord signedPreKey, PreKeyRecord? preKey)
    {
        ArgumentNullException.ThrowIfNull(identityKeyPair);
        ArgumentNullException.ThrowIfNull(signedPreKey);
        return new PreKeyBundle(
            registrationId,
            identityKeyPair.PublicKey,
            signedPreKey.Id,
            signedPreKey.KeyPair.PublicKey,
            signedPreKey.Signature,
            preKey?.Id,
            preKey?.KeyPair.PublicKey);
    }
}
