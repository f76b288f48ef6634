using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Google.Protobuf;

namespace Gateway.WebProtocol.Noise;

/// <summary>
/// The client side of WhatsApp's Noise XX, as a state machine over message bytes: ClientHello, ServerHello
/// (with certificate check), ClientFinish, then <see cref="Split"/> into transport ciphers. Calls out of order
/// are misuse (<see cref="InvalidOperationException"/>); bad peer data is a <see cref="NoiseHandshakeException"/>.
/// </summary>
public sealed class NoiseInitiator : IDisposable
{
    private readonly KeyPair staticKey;
    private readonly KeyPair ephemeral;
    private readonly IServerCertificateVerifier certificateVerifier;
    private readonly NoiseHandshakeState state;
    private Step step = Step.ClientHello;
    private byte[] serverEphemeral = [];

    /// <param name="staticKey">The long-lived noise key of this device.</param>
    /// <param name="certificateVerifier">Checks the server's certificate chain.</param>
    /// <param name="ephemeral">This handshake's ephemeral key; generated when null (tests pass a seeded one).</param>
    public NoiseInitiator(KeyPair staticKey, IServerCertificateVerifier certificateVerifier, KeyPair? ephemeral = null)
    {
        ArgumentNullException.ThrowIfNull(staticKey);
        ArgumentNullException.ThrowIfNull(certificateVerifier);
        this.staticKey = staticKey;
        this.certificateVerifier = certificateVerifier;
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

    /// <summary>The server static key, once ServerHello was accepted.</summary>
    public ReadOnlyMemory<byte> ServerStaticPublicKey { get; private set; }

    /// <summary>Step 1: the encoded HandshakeMessage carrying our ephemeral key.</summary>
    public byte[] WriteClientHello()
    {
        Expect(Step.ClientHello);
        state.Authenticate(ephemeral.PublicKey);
        step = Step.ServerHello;
        return new HandshakeMessage
        {
            ClientHello = new HandshakeMessage.Types.ClientHello { Ephemeral = ByteString.CopyFrom(ephemeral.PublicKey) },
        }.ToByteArray();
    }

    /// <summary>Step 2: learns the server's keys and verifies its certificate chain.</summary>
    public void ReadServerHello(ReadOnlySpan<byte> message)
    {
        Expect(Step.ServerHello);
        var hello = HandshakeMessages.Parse(message).ServerHello
            ?? throw new NoiseHandshakeException(HandshakeFailure.MalformedMessage, "server hello is missing");
        serverEphemeral = HandshakeMessages.RequireKey(hello.HasEphemeral ? hello.Ephemeral : null, "server ephemeral");
        var encryptedStatic = HandshakeMessages.Require(hello.HasStatic, hello.Static, "server static");
        var encryptedPayload = HandshakeMessages.Require(hello.HasPayload, hello.Payload, "server certificate");

        state.Authenticate(serverEphemeral);
        state.MixSharedSecret(ephemeral, serverEphemeral);
        var serverStatic = state.Decrypt(encryptedStatic, "server static");
        if (serverStatic.Length != NoiseProtocol.KeyLength)
        {
            throw new NoiseHandshakeException(HandshakeFailure.MalformedMessage, "server static key is not 32 bytes");
        }

        state.MixSharedSecret(ephemeral, serverStatic);
        var certificateChain = state.Decrypt(encryptedPayload, "server certificate");
        certificateVerifier.Verify(certificateChain, serverStatic);
        ServerStaticPublicKey = serverStatic;
        step = Step.ClientFinish;
    }

    /// <summary>Step 3: our static key and the encoded ClientPayload, both encrypted.</summary>
    public byte[] WriteClientFinish(ReadOnlySpan<byte> clientPayload)
    {
        Expect(Step.ClientFinish);
        var encryptedStatic = state.Encrypt(staticKey.PublicKey);
        state.MixSharedSecret(staticKey, serverEphemeral);
        var encryptedPayload = state.Encrypt(clientPayload);
        step = Step.Split;
        return new HandshakeMessage
        {
            ClientFinish = new HandshakeMessage.Types.ClientFinish
            {
                Static = ByteString.CopyFrom(encryptedStatic),
                Payload = ByteString.CopyFrom(encryptedPayload),
            },
        }.ToByteArray();
    }

    /// <summary>Step 4: the transport ciphers (client writes with the first key, reads with the second).</summary>
    public (TransportCipher Encryptor, TransportCipher Decryptor) Split()
    {
        Expect(Step.Split);
        step = Step.Done;
        var (toResponder, toInitiator) = state.Split();
        state.Dispose();
        return (toResponder, toInitiator);
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
