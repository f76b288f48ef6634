using System.Security.Cryptography;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Google.Protobuf;
using Details = Gateway.WebProtocol.Proto.CertChain.Types.NoiseCertificate.Types.Details;

namespace Gateway.WebProtocol.Noise;

/// <summary>
/// The strict check of the server's certificate chain (whatsmeow's verifyServerCert): 64-byte signatures,
/// intermediate signed by the configured root and issued by serial 0, 32-byte intermediate key, leaf signed
/// by the intermediate and naming it as issuer, leaf key equal to the decrypted server static key, and both
/// certificates inside their validity window at the injected time.
/// </summary>
public sealed class NoiseCertificateVerifier : IServerCertificateVerifier
{
    private readonly byte[] rootPublicKey;
    private readonly TimeProvider timeProvider;

    /// <param name="rootPublicKey">The trust anchor (32 bytes); WhatsApp's in production, the emulator's in tests.</param>
    /// <param name="timeProvider">The clock the validity window is checked against.</param>
    public NoiseCertificateVerifier(ReadOnlySpan<byte> rootPublicKey, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (rootPublicKey.Length != NoiseProtocol.KeyLength)
        {
            throw new ArgumentException("the root public key is 32 bytes", nameof(rootPublicKey));
        }

        this.rootPublicKey = rootPublicKey.ToArray();
        this.timeProvider = timeProvider;
    }

    /// <summary>A verifier anchored at WhatsApp's root key.</summary>
    public static NoiseCertificateVerifier ForWhatsApp(TimeProvider timeProvider) =>
        new(NoiseProtocol.WhatsAppRootPublicKey, timeProvider);

    public void Verify(ReadOnlySpan<byte> certificateChain, ReadOnlySpan<byte> serverStaticPublicKey)
    {
        var chain = Parse(CertChain.Parser, certificateChain, "certificate chain");
        var intermediate = chain.Intermediate;
        var leaf = chain.Leaf;
        if (intermediate is not { HasDetails: true, HasSignature: true } || leaf is not { HasDetails: true, HasSignature: true })
        {
            Fail(HandshakeFailure.CertificateMalformed, "certificate chain lacks a certificate, details or signature");
        }

        if (intermediate.Signature.Length != NoiseProtocol.SignatureLength || leaf.Signature.Length != NoiseProtocol.SignatureLength)
        {
            Fail(HandshakeFailure.CertificateMalformed, "certificate signature is not 64 bytes");
        }

        if (!Curve25519.VerifySignature(rootPublicKey, intermediate.Details.Span, intermediate.Signature.Span))
        {
            Fail(HandshakeFailure.UntrustedRoot, "intermediate certificate is not signed by the configured root");
        }

        var intermediateDetails = Parse(Details.Parser, intermediate.Details.Span, "intermediate details");
        if (intermediateDetails.IssuerSerial != NoiseProtocol.RootSerial)
        {
            Fail(HandshakeFailure.CertificateMisChained, "intermediate certificate is not issued by the root serial");
        }

        if (intermediateDetails.Key.Length != NoiseProtocol.KeyLength)
        {
            Fail(HandshakeFailure.CertificateMalformed, "intermediate key is not 32 bytes");
        }

        if (!Curve25519.VerifySignature(intermediateDetails.Key.Span, leaf.Details.Span, leaf.Signature.Span))
        {
            Fail(HandshakeFailure.LeafSignatureInvalid, "leaf certificate is not signed by the intermediate");
        }

        CheckValidity(intermediateDetails, "intermediate");
        var leafDetails = Parse(Details.Parser, leaf.Details.Span, "leaf details");
        if (leafDetails.IssuerSerial != intermediateDetails.Serial)
        {
            Fail(HandshakeFailure.CertificateMisChained, "leaf certificate names another issuer than the intermediate");
        }

        if (!CryptographicOperations.FixedTimeEquals(leafDetails.Key.Span, serverStaticPublicKey))
        {
            Fail(HandshakeFailure.CertificateKeyMismatch, "leaf certificate does not certify the server static key");
        }

        CheckValidity(leafDetails, "leaf");
    }

    private void CheckValidity(Details details, string which)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var nowSeconds = now < 0 ? 0UL : (ulong)now;
        if (nowSeconds < details.NotBefore)
        {
            Fail(HandshakeFailure.CertificateNotYetValid, $"{which} certificate is not valid yet");
        }

        if (nowSeconds > details.NotAfter)
        {
            Fail(HandshakeFailure.CertificateExpired, $"{which} certificate has expired");
        }
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> bytes, string what)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new NoiseHandshakeException(HandshakeFailure.CertificateMalformed, $"{what} is not decodable", ex);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(HandshakeFailure reason, string message) => throw new NoiseHandshakeException(reason, message);
}
