using System.Numerics;
using System.Security.Cryptography;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// Deterministic XEdDSA signing in the curve25519-js form: a = clamp(k); A = aB; r = SHA-512(a || M) mod L;
/// R = rB; h = SHA-512(R || A || M) mod L; s = r + h a mod L; signature R || s with the sign bit of A in the
/// top bit of the last byte. The scalar arithmetic uses BigInteger, which is not constant time; the point
/// multiplications, where the secrets do most of their work, are.
/// </summary>
internal static class XEdDsa
{
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse(
        "27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    public static void Sign(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> message, Span<byte> signature64)
    {
        Span<byte> scalar = stackalloc byte[32];
        privateKey32.CopyTo(scalar);
        scalar[0] &= 248;
        scalar[31] &= 127;
        scalar[31] |= 64;

        Span<byte> publicKey = stackalloc byte[32];
        EdwardsPoint.MultiplyBase(scalar).Encode(publicKey);
        var signBit = (byte)(publicKey[31] & 0x80);

        using var nonceHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        nonceHash.AppendData(scalar);
        nonceHash.AppendData(message);
        Span<byte> digest = stackalloc byte[64];
        nonceHash.GetHashAndReset(digest);
        var r = ReduceModL(digest);

        Span<byte> rBytes = stackalloc byte[32];
        WriteScalar(r, rBytes);
        EdwardsPoint.MultiplyBase(rBytes).Encode(signature64[..32]);

        nonceHash.AppendData(signature64[..32]);
        nonceHash.AppendData(publicKey);
        nonceHash.AppendData(message);
        nonceHash.GetHashAndReset(digest);
        var h = ReduceModL(digest);

        var a = new BigInteger(scalar, isUnsigned: true, isBigEndian: false);
        var s = (r + (h * a)) % L;
        WriteScalar(s, signature64[32..]);
        signature64[63] |= signBit;
        CryptographicOperations.ZeroMemory(scalar);
        CryptographicOperations.ZeroMemory(rBytes);
    }

    private static BigInteger ReduceModL(ReadOnlySpan<byte> littleEndian) =>
        new BigInteger(littleEndian, isUnsigned: true, isBigEndian: false) % L;

    private static void WriteScalar(BigInteger value, Span<byte> destination32)
    {
        destination32.Clear();
        value.TryWriteBytes(destination32, out _, isUnsigned: true, isBigEndian: false);
    }
}
