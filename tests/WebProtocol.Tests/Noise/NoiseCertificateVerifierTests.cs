using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Tests.Signal;
using Google.Protobuf;
using static Gateway.WebProtocol.Tests.Noise.NoiseTestKit;

namespace Gateway.WebProtocol.Tests.Noise;

public sealed class NoiseCertificateVerifierTests
{
    private static readonly NoiseTestKit.TestServer Server = CreateServer(seed: 40);
    private static readonly KeyPair Stranger = Curve25519.GenerateKeyPair(new SeededRandom(41));

    public enum Defect
    {
        None,
        WrongRoot,
        IntermediateIssuerNotRoot,
        LeafIssuerNotIntermediate,
        LeafSignedByStranger,
        LeafForAnotherKey,
        IntermediateExpired,
        LeafNotYetValid,
        ShortSignature,
        ShortIntermediateKey,
        MissingLeaf,
        Garbage,
    }

    [Theory]
    [InlineData(Defect.None, null)]
    [InlineData(Defect.WrongRoot, HandshakeFailure.UntrustedRoot)]
    [InlineData(Defect.IntermediateIssuerNotRoot, HandshakeFailure.CertificateMisChained)]
    [InlineData(Defect.LeafIssuerNotIntermediate, HandshakeFailure.CertificateMisChained)]
    [InlineData(Defect.LeafSignedByStranger, HandshakeFailure.LeafSignatureInvalid)]
    [InlineData(Defect.LeafForAnotherKey, HandshakeFailure.CertificateKeyMismatch)]
    [InlineData(Defect.IntermediateExpired, HandshakeFailure.CertificateExpired)]
    [InlineData(Defect.LeafNotYetValid, HandshakeFailure.CertificateNotYetValid)]
    [InlineData(Defect.ShortSignature, HandshakeFailure.CertificateMalformed)]
    [InlineData(Defect.ShortIntermediateKey, HandshakeFailure.CertificateMalformed)]
    [InlineData(Defect.MissingLeaf, HandshakeFailure.CertificateMalformed)]
    [InlineData(Defect.Garbage, HandshakeFailure.CertificateMalformed)]
    public void Verify_accepts_only_a_well_formed_chain(Defect defect, HandshakeFailure? expected)
    {
        var chain = Build(defect);
        var root = defect == Defect.WrongRoot ? Stranger.PublicKey : Server.Root.PublicKey;
        var verifier = new NoiseCertificateVerifier(root, Clock);

        if (expected is null)
        {
            verifier.Verify(chain, Server.Static.PublicKey);
            return;
        }

        var ex = Assert.Throws<NoiseHandshakeException>(() => verifier.Verify(chain, Server.Static.PublicKey));
        Assert.Equal(expected, ex.Reason);
    }

    [Fact]
    public void The_intermediate_issuer_serial_zero_is_encoded_explicitly()
    {
        var chain = CertChain.Parser.ParseFrom(Server.Chain);
        var details = chain.Intermediate.Details.ToByteArray();

        // Field 2 (issuer_serial), varint 0: tag byte 0x10 then 0x00 right after field 1.
        Assert.Equal([0x08, 0x01, 0x10, 0x00], details[..4]);
    }

    [Fact]
    public void Verifier_rejects_a_root_key_of_the_wrong_size()
    {
        Assert.Throws<ArgumentException>(() => new NoiseCertificateVerifier(new byte[33], Clock));
    }

    private static byte[] Build(Defect defect)
    {
        var from = Now.AddDays(-1);
        var until = Now.AddDays(1);
        var intermediateDetails = NoiseCertificateFactory.NewDetails(
            7,
            defect == Defect.IntermediateIssuerNotRoot ? 5u : 0u,
            defect == Defect.ShortIntermediateKey ? Server.Intermediate.PublicKey[..31] : Server.Intermediate.PublicKey,
            from,
            defect == Defect.IntermediateExpired ? Now.AddMinutes(-1) : until);
        var leafDetails = NoiseCertificateFactory.NewDetails(
            8,
            defect == Defect.LeafIssuerNotIntermediate ? 6u : 7u,
            defect == Defect.LeafForAnotherKey ? Stranger.PublicKey : Server.Static.PublicKey,
            defect == Defect.LeafNotYetValid ? Now.AddMinutes(1) : from,
            until);
        var chain = new CertChain
        {
            Intermediate = NoiseCertificateFactory.Sign(Server.Root, intermediateDetails),
            Leaf = NoiseCertificateFactory.Sign(
                defect == Defect.LeafSignedByStranger ? Stranger : Server.Intermediate, leafDetails),
        };
        switch (defect)
        {
            case Defect.ShortSignature:
                chain.Leaf.Signature = ByteString.CopyFrom(chain.Leaf.Signature.Span[..63]);
                break;
            case Defect.MissingLeaf:
                chain.Leaf = null;
                break;
            case Defect.Garbage:
                return [0x0a, 0xff, 0x01];
        }

        return chain.ToByteArray();
    }
}
