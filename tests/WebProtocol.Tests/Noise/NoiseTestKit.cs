using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Tests.Signal;
using Gateway.WebProtocol.Transport;

namespace Gateway.WebProtocol.Tests.Noise;

/// <summary>Seeded server identities and a helper that runs both handshake sides over a pair of transports.</summary>
internal static class NoiseTestKit
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TimeProvider Clock { get; } = new FixedTimeProvider(Now);

    public static TestServer CreateServer(int seed, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var random = new SeededRandom(seed);
        var root = Curve25519.GenerateKeyPair(random);
        var intermediate = Curve25519.GenerateKeyPair(random);
        var serverStatic = Curve25519.GenerateKeyPair(random);
        var chain = NoiseCertificateFactory.CreateChain(
            root, intermediate, serverStatic.PublicKey, notBefore ?? Now.AddDays(-1), notAfter ?? Now.AddDays(30));
        return new TestServer(root, intermediate, serverStatic, chain);
    }

    public static KeyPair ClientKey(int seed) => Curve25519.GenerateKeyPair(new SeededRandom(seed));

    /// <summary>Runs initiator and responder concurrently; returns both sockets or throws the client's failure.</summary>
    public static async Task<Connected> ConnectAsync(
        IDuplexTransport clientTransport,
        IDuplexTransport serverTransport,
        TestServer server,
        KeyPair clientStatic,
        byte[] clientPayload,
        ReadOnlyMemory<byte>? rootPublicKey = null,
        byte[]? certificateChain = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var responder = new NoiseResponder(server.Static, certificateChain ?? server.Chain);
        var accept = NoiseHandshake.AcceptAsync(
            new FrameSocket(serverTransport, FrameSocketRole.Server), responder, Clock, timeout.Token);
        var verifier = new NoiseCertificateVerifier((rootPublicKey ?? server.Root.PublicKey).Span, Clock);
        NoiseSocket client;
        try
        {
            client = await NoiseHandshake.ConnectAsync(
                new FrameSocket(clientTransport, FrameSocketRole.Client),
                new NoiseInitiator(clientStatic, verifier),
                clientPayload,
                Clock,
                timeout.Token);
        }
        catch
        {
            // The server is still waiting for ClientFinish; closing our end lets it fail and finish.
            await clientTransport.CloseAsync(CancellationToken.None);
            await Assert.ThrowsAnyAsync<ConnectionException>(() => accept);
            throw;
        }

        var serverSocket = await accept;
        return new Connected(client, serverSocket, responder);
    }

    public sealed record TestServer(KeyPair Root, KeyPair Intermediate, KeyPair Static, byte[] Chain);

    public sealed record Connected(NoiseSocket Client, NoiseSocket Server, NoiseResponder Responder) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
            Responder.Dispose();
        }
    }
}
