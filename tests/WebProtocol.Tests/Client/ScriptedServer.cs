using System.Threading.Channels;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Tests.Signal;
using Gateway.WebProtocol.Transport;

namespace Gateway.WebProtocol.Tests.Client;

/// <summary>
/// The server end of in-memory connections for client unit tests: it runs the real Noise responder with its
/// own certificate chain and hands each accepted connection to the test, which scripts the stanzas.
/// </summary>
internal sealed class ScriptedServer
{
    private readonly Channel<ServerSession> sessions = Channel.CreateUnbounded<ServerSession>();
    private readonly KeyPair staticKey;
    private readonly byte[] chain;

    public ScriptedServer(int seed)
    {
        var random = new SeededRandom(seed);
        Root = Curve25519.GenerateKeyPair(random);
        var intermediate = Curve25519.GenerateKeyPair(random);
        staticKey = Curve25519.GenerateKeyPair(random);
        var now = DateTimeOffset.UtcNow;
        chain = NoiseCertificateFactory.CreateChain(Root, intermediate, staticKey.PublicKey, now.AddDays(-1), now.AddDays(1));
    }

    public KeyPair Root { get; }

    /// <summary>The client's transport factory: each call is one new connection.</summary>
    public Task<IDuplexTransport> ConnectAsync(CancellationToken cancellationToken)
    {
        var (client, server) = InMemoryDuplexTransport.CreatePair();
        _ = Task.Run(async () =>
        {
            var responder = new NoiseResponder(staticKey, chain);
            var socket = await NoiseHandshake.AcceptAsync(new FrameSocket(server, FrameSocketRole.Server), responder, TimeProvider.System, CancellationToken.None);
            var payload = ClientPayload.Parser.ParseFrom(responder.ClientPayload.Span);
            await sessions.Writer.WriteAsync(new ServerSession(socket, payload));
        });
        return Task.FromResult<IDuplexTransport>(client);
    }

    public async Task<ServerSession> NextSessionAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await sessions.Reader.ReadAsync(timeout.Token);
    }
}

/// <summary>One accepted connection: typed send and receive of nodes.</summary>
internal sealed class ServerSession(NoiseSocket socket, ClientPayload payload) : IAsyncDisposable
{
    public ClientPayload Payload { get; } = payload;

    public Task SendAsync(Node node) => socket.SendFrameAsync(NodeFrame.Encode(node), CancellationToken.None);

    /// <summary>The next node from the client, or null once it closed.</summary>
    public async Task<Node?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var frame = await socket.ReceiveFrameAsync(timeout.Token);
        return frame is null ? null : NodeFrame.Decode(frame);
    }

    /// <summary>Receives until a node matches, answering pings on the way; other nodes go to <paramref name="skipped"/>.</summary>
    public async Task<Node> ExpectAsync(Func<Node, bool> match, List<Node>? skipped = null)
    {
        while (true)
        {
            var node = await ReceiveAsync() ?? throw new InvalidOperationException("the client closed the connection");
            if (match(node))
            {
                return node;
            }

            if (node.Tag == "iq" && node.GetAttribute("xmlns") == "w:p")
            {
                await SendAsync(Result(node));
                continue;
            }

            skipped?.Add(node);
        }
    }

    public static Node Result(Node iq, params Node[] children)
    {
        var attributes = new NodeAttributes();
        attributes.Set("from", "@s.whatsapp.net");
        attributes.Set("type", "result");
        attributes.Set("id", iq.GetRequiredAttribute("id"));
        return children.Length == 0 ? new Node("iq", attributes) : new Node("iq", attributes, children);
    }

    public ValueTask CloseAsync() => socket.CloseAsync(CancellationToken.None);

    public ValueTask DisposeAsync() => socket.DisposeAsync();
}
