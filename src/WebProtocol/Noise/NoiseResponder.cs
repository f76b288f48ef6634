using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Google.Protobuf;

namespace Gateway.WebProtocol.Noise;

/// <summary>
/// The server side of WhatsApp's Noise XX (for the emulator): reads ClientHello, answers with ServerHello
/// (encrypted static key and certificate chain), reads ClientFinish (client static key and ClientPayload),
/// then <see cref="Split"/>s into transport ciphers.
/// </summary>
public sealed class NoiseResponder : IDisposable
{
    private readonly KeyPair staticKey;
    private readonly KeyPair ephemeral;
    private readonly byte[] certificateChain;
    private readonly NoiseHandshakeState state;
    private Step step = Step.ClientHello;
    private byte[] clientEphemeral = [];

    /// <param name="staticKey">The server static key; the leaf certificate must certify its public half.</param>
    /// <param name="certificateChain">The encoded CertChain sent in ServerHello.</param>
    /// <param name="ephemeral">This handshake's ephemeral key; generated when null.</param>
    public NoiseResponder(KeyPair staticKey, ReadOnlySpan<byte> certificateChain, KeyPair? ephemeral = null)
    {
        ArgumentNullException.ThrowIfNull(staticKey);
        this.staticKey = staticKey;
        this.certificateChain = certificateChain.ToArray();
        this.ephemeral = ephemeral ?? Curve25519.GenerateKeyPair();
        state = new NoiseHandshakeState(ClientIntro.WaHeader);
    }

    private enum Step
    {
        ClientHello,
        ServerHello,
        ClientFinish,
        Split,
        Done,
    }

    /// <summary>The client's static (noise) public key, after ClientFinish.</summary>
    public ReadOnlyMemory<byte> ClientStaticPublicKey { get; private set; }

    /// <summary>The encoded ClientPayload, after ClientFinish.</summary>
    public ReadOnlyMemory<byte> ClientPayload { get; private set; }

    public void ReadClientHello(ReadOnlySpan<byte> message)
    {
        Expect(Step.ClientHello);
        var hello = HandshakeMessages.Parse(message).ClientHello
            ?? throw new NoiseHandshakeException(HandshakeFailure.MalformedMessage, "client hello is missing");
        clientEphemeral = HandshakeMessages.RequireKey(hello.HasEphemeral ? hello.Ephemeral : null, "client ephemeral");
        state.Authenticate(clientEphemeral);
        step = Step.ServerHello;
    }

    public byte[] WriteServerHello()
    {
        Expect(Step.ServerHello);
        state.Authenticate(ephemeral.PublicKey);
        state.MixSharedSecret(ephemeral, clientEphemeral);
        var encryptedStatic = state.Encrypt(staticKey.PublicKey);
        state.MixSharedSecret(staticKey, clientEphemeral);
        var encryptedCertificate = state.Encrypt(certificateChain);
        step = Step.ClientFinish;
        return new HandshakeMessage
        {
            ServerHello = new HandshakeMessage.Types.ServerHello
            {
                Ephemeral = ByteString.CopyFrom(ephemeral.PublicKey),
                Static = ByteString.CopyFrom(encryptedStatic),
                Payload = ByteString.CopyFrom(encryptedCertificate),
            },
        }.ToByteArray();
    }

    public void ReadClientFinish(ReadOnlySpan<byte> message)
    {
        Expect(Step.ClientFinish);
        var finish = HandshakeMessages.Parse(message).ClientFinish
            ?? throw new NoiseHandshakeException(HandshakeFailure.MalformedMessage, "client finish is missing");
        var encryptedStatic = HandshakeMessages.Require(finish.HasStatic, finish.Static, "client static");
        var encryptedPayload = HandshakeMessages.Require(finish.HasPayload, finish.Payload, "client payload");
        var clientStatic = state.Decrypt(encryptedStatic, "client static");
        if (clientStatic.Length != NoiseProtocol.KeyLength)
        {
            throw new NoiseHandshakeException(HandshakeFailure.MalformedMessage, "client static key is not 32 bytes");
        }

        state.MixSharedSecret(ephemeral, clientStatic);
        ClientPayload = state.Decrypt(encryptedPayload, "client payload");
        ClientStaticPublicKey = clientStatic;
        step = Step.Split;
    }

    /// <summary>The transport ciphers (server writes with the second key, reads with the first).</summary>
    public (TransportCipher Encryptor, TransportCipher Decryptor) Split()
    {
        Expect(Step.Split);
        step = Step.Done;
        var (toResponder, toInitiator) = state.Split();
        state.Dispose();
        return (toInitiator, toResponder);
    }

    public void Dispose() => state.Dispose();

    private void Expect(Step expected)
    {
        if (step != expected)
        {
            throw new InvalidOperationException($"handshake is at {step}, not {expected}");
        }
    }
}
