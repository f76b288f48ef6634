using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Google.Protobuf;
using Details = Gateway.WebProtocol.Proto.CertChain.Types.NoiseCertificate.Types.Details;
using NoiseCertificate = Gateway.WebProtocol.Proto.CertChain.Types.NoiseCertificate;

namespace Gateway.WebProtocol.Noise;

/// <summary>
/// Issues Noise certificate chains on the responder side (emulator): root key -> intermediate -> leaf that
/// certifies the server static key. Each certificate signs the exact encoded Details bytes with XEdDSA.
/// </summary>
public static class NoiseCertificateFactory
{
    /// <summary>A chain <c>CertChain{leaf, intermediate}</c>, encoded, ready for <see cref="NoiseResponder"/>.</summary>
    /// <param name="root">The trust anchor's key pair; clients must be configured with its public key.</param>
    /// <param name="intermediate">The intermediate's key pair; it signs the leaf.</param>
    /// <param name="serverStaticPublicKey">The key the leaf certifies: the responder's static public key.</param>
    /// <param name="notBefore">Start of validity for both certificates.</param>
    /// <param name="notAfter">End of validity for both certificates.</param>
    /// <param name="intermediateSerial">The intermediate's serial; the leaf names it as issuer.</param>
    /// <param name="leafSerial">The leaf's serial.</param>
    public static byte[] CreateChain(
        KeyPair root,
        KeyPair intermediate,
        ReadOnlySpan<byte> serverStaticPublicKey,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        uint intermediateSerial = 1,
        uint leafSerial = 2)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(intermediate);
        if (serverStaticPublicKey.Length != NoiseProtocol.KeyLength)
        {
            throw new ArgumentException("the server static key is 32 bytes", nameof(serverStaticPublicKey));
        }

        var intermediateDetails = NewDetails(intermediateSerial, NoiseProtocol.RootSerial, intermediate.PublicKey, notBefore, notAfter);
        var leafDetails = NewDetails(leafSerial, intermediateSerial, serverStaticPublicKey, notBefore, notAfter);
        return new CertChain
        {
            Intermediate = Sign(root, intermediateDetails),
            Leaf = Sign(intermediate, leafDetails),
        }.ToByteArray();
    }

    /// <summary>Details with every field present: proto2 keeps <c>issuerSerial = 0</c> on the wire.</summary>
    public static Details NewDetails(
        uint serial, uint issuerSerial, ReadOnlySpan<byte> key, DateTimeOffset notBefore, DateTimeOffset notAfter) => new()
    {
        Serial = serial,
        IssuerSerial = issuerSerial,
        Key = ByteString.CopyFrom(key),
        NotBefore = checked((ulong)notBefore.ToUnixTimeSeconds()),
        NotAfter = checked((ulong)notAfter.ToUnixTimeSeconds()),
    };

    /// <summary>A certificate whose signature by <paramref name="signer"/> covers the encoded <paramref name="details"/>.</summary>
    public static NoiseCertificate Sign(KeyPair signer, Details details)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(details);
        var encoded = details.ToByteArray();
        return new NoiseCertificate
        {
            Details = ByteString.CopyFrom(encoded),
            Signature = ByteString.CopyFrom(Curve25519.CalculateSignature(signer.PrivateKey, encoded)),
        };
    }
}
