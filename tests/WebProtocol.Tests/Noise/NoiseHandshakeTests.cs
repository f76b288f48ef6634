using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Transport;
using static Gateway.WebProtocol.Tests.Noise.NoiseTestKit;

namespace Gateway.WebProtocol.Tests.Noise;

public sealed class NoiseHandshakeTests
{
    private static readonly byte[] Payload = "client payload bytes"u8.ToArray();

    [Fact]
    public async Task Initiator_and_responder_agree_and_frames_round_trip_both_ways_in_memory()
    {
        var server = CreateServer(seed: 1);
        var clientKey = ClientKey(seed: 2);
        var (clientEnd, serverEnd) = InMemoryDuplexTransport.CreatePair();

        await using var connected = await ConnectAsync(clientEnd, serverEnd, server, clientKey, Payload);

        Assert.Equal(clientKey.PublicKey, connected.Responder.ClientStaticPublicKey.ToArray());
        Assert.Equal(Payload, connected.Responder.ClientPayload.ToArray());
        var random = new Random(3);
        var messages = new[] { 0, 1, 17, 70_000, 5 }.Select(n => { var b = new byte[n]; random.NextBytes(b); return b; }).ToList();
        foreach (var message in messages)
        {
            await connected.Client.SendFrameAsync(message, CancellationToken.None);
            await connected.Server.SendFrameAsync(message.Reverse().ToArray(), CancellationToken.None);
        }

        foreach (var message in messages)
        {
            Assert.Equal(message, await connected.Server.ReceiveFrameAsync(CancellationToken.None));
            Assert.Equal(message.Reverse().ToArray(), await connected.Client.ReceiveFrameAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Closing_one_side_ends_the_other_sides_frame_stream()
    {
        var (clientEnd, serverEnd) = InMemoryDuplexTransport.CreatePair();
        await using var connected = await ConnectAsync(clientEnd, serverEnd, CreateServer(4), ClientKey(5), Payload);
        await connected.Client.SendFrameAsync("last"u8.ToArray(), CancellationToken.None);

        await connected.Client.CloseAsync(CancellationToken.None);

        var received = new List<byte[]>();
        await foreach (var frame in connected.Server.ReadFramesAsync(CancellationToken.None))
        {
            received.Add(frame);
        }

        Assert.Equal(["last"u8.ToArray()], received);
    }

    [Fact]
    public async Task A_tampered_transport_frame_is_a_decryption_fault()
    {
        var (clientEnd, serverEnd) = InMemoryDuplexTransport.CreatePair();
        // Messages from the server: 0 = ServerHello, 1 = first transport frame; flip a ciphertext bit in 1.
        var tampering = new TamperingTransport(serverEnd, messageIndex: 1, byteIndex: 5);
        await using var connected = await ConnectAsync(clientEnd, tampering, CreateServer(6), ClientKey(7), Payload);

        await connected.Server.SendFrameAsync("hello"u8.ToArray(), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ConnectionException>(() => connected.Client.ReceiveFrameAsync(CancellationToken.None));
        Assert.Equal(ConnectionFaultKind.FrameDecryptionFailed, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task A_tampered_server_hello_fails_the_handshake_with_a_decryption_failure()
    {
        var (clientEnd, serverEnd) = InMemoryDuplexTransport.CreatePair();
        // The last byte of ServerHello is inside the encrypted certificate's tag.
        var tampering = new TamperingTransport(serverEnd, messageIndex: 0, byteIndex: -1);

        var ex = await Assert.ThrowsAsync<NoiseHandshakeException>(
            () => ConnectAsync(clientEnd, tampering, CreateServer(8), ClientKey(9), Payload));

        Assert.Equal(HandshakeFailure.DecryptionFailed, ex.Reason);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task A_server_certified_by_another_root_is_untrusted()
    {
        var (clientEnd, serverEnd) = InMemoryDuplexTransport.CreatePair();
        var otherRoot = CreateServer(10).Root.PublicKey;

        var ex = await Assert.ThrowsAsync<NoiseHandshakeException>(
            () => ConnectAsync(clientEnd, serverEnd, CreateServer(11), ClientKey(12), Payload, otherRoot));

        Assert.Equal(HandshakeFailure.UntrustedRoot, ex.Reason);
    }

    [Fact]
    public async Task The_default_verifier_does_not_trust_an_emulator_root()
    {
        var server = CreateServer(13);
        var (clientEnd, serverEnd) = InMemoryDuplexTransport.CreatePair();

        var ex = await Assert.ThrowsAsync<NoiseHandshakeException>(() => ConnectAsync(
            clientEnd, serverEnd, server, ClientKey(14), Payload, NoiseProtocol.WhatsAppRootPublicKey.ToArray()));

        Assert.Equal(HandshakeFailure.UntrustedRoot, ex.Reason);
    }

    [Fact]
    public async Task An_expired_certificate_fails_the_handshake()
    {
        var server = CreateServer(15, notBefore: Now.AddDays(-30), notAfter: Now.AddSeconds(-1));
        var (clientEnd, serverEnd) = InMemoryDuplexTransport.CreatePair();

        var ex = await Assert.ThrowsAsync<NoiseHandshakeException>(
            () => ConnectAsync(clientEnd, serverEnd, server, ClientKey(16), Payload));

        Assert.Equal(HandshakeFailure.CertificateExpired, ex.Reason);
    }

    [Fact]
    public async Task A_mis_chained_certificate_fails_the_handshake()
    {
        var server = CreateServer(17);
        // The leaf names serial 99 as its issuer while the intermediate's serial is 1.
        var chain = new Proto.CertChain
        {
            Intermediate = NoiseCertificateFactory.Sign(
                server.Root, NoiseCertificateFactory.NewDetails(1, 0, server.Intermediate.PublicKey, Now.AddDays(-1), Now.AddDays(1))),
            Leaf = NoiseCertificateFactory.Sign(
                server.Intermediate, NoiseCertificateFactory.NewDetails(2, 99, server.Static.PublicKey, Now.AddDays(-1), Now.AddDays(1))),
        };
        var (clientEnd, serverEnd) = InMemoryDuplexTransport.CreatePair();

        var ex = await Assert.ThrowsAsync<NoiseHandshakeException>(() => ConnectAsync(
            clientEnd, serverEnd, server, ClientKey(18), Payload, certificateChain: Google.Protobuf.MessageExtensions.ToByteArray(chain)));

        Assert.Equal(HandshakeFailure.CertificateMisChained, ex.Reason);
    }

    [Fact]
    public async Task A_server_closing_before_its_hello_is_a_transient_closed_fault()
    {
        var (clientEnd, serverEnd) = InMemoryDuplexTransport.CreatePair();
        var initiator = new NoiseInitiator(ClientKey(19), new NoiseCertificateVerifier(CreateServer(20).Root.PublicKey, Clock));
        using var cancel = new CancellationTokenSource();
        var connect = NoiseHandshake.ConnectAsync(new FrameSocket(clientEnd, FrameSocketRole.Client), initiator, Payload, Clock, cancel.Token);

        // The server closes without answering: the client learns it as a transient "closed" fault.
        await serverEnd.CloseAsync(CancellationToken.None);
        var ex = await Assert.ThrowsAsync<ConnectionException>(() => connect);

        Assert.Equal(ConnectionFaultKind.Closed, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_transient_handshake_timeout()
    {
        var (clientEnd, _) = InMemoryDuplexTransport.CreatePair();
        var initiator = new NoiseInitiator(ClientKey(25), new NoiseCertificateVerifier(CreateServer(26).Root.PublicKey, Clock));

        var ex = await Assert.ThrowsAsync<ConnectionException>(() => NoiseHandshake.ConnectAsync(
            new FrameSocket(clientEnd, FrameSocketRole.Client), initiator, Payload, Clock, CancellationToken.None,
            stepTimeout: TimeSpan.FromMilliseconds(50)));

        Assert.Equal(ConnectionFaultKind.HandshakeTimeout, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public void Steps_out_of_order_are_misuse()
    {
        var server = CreateServer(21);
        using var initiator = new NoiseInitiator(ClientKey(22), new NoiseCertificateVerifier(server.Root.PublicKey, Clock));
        using var responder = new NoiseResponder(server.Static, server.Chain);

        Assert.Throws<InvalidOperationException>(() => initiator.WriteClientFinish(Payload));
        Assert.Throws<InvalidOperationException>(() => responder.WriteServerHello());
        initiator.WriteClientHello();
        Assert.Throws<InvalidOperationException>(() => initiator.WriteClientHello());
        Assert.Throws<InvalidOperationException>(() => initiator.Split());
    }

    [Theory]
    [InlineData("")]
    [InlineData("ff")]
    [InlineData("1a00")]
    [InlineData("1a0a0a0801020304050607ff")]
    [InlineData("12220a20" + "0000000000000000000000000000000000000000000000000000000000000000")]
    public void Malformed_server_hellos_are_handshake_failures(string messageHex)
    {
        var server = CreateServer(23);
        using var initiator = new NoiseInitiator(ClientKey(24), new NoiseCertificateVerifier(server.Root.PublicKey, Clock));
        initiator.WriteClientHello();

        var ex = Assert.Throws<NoiseHandshakeException>(() => initiator.ReadServerHello(Convert.FromHexString(messageHex)));

        Assert.Equal(HandshakeFailure.MalformedMessage, ex.Reason);
    }
}
