using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Tests.Signal;
using static Gateway.WebProtocol.Tests.Client.TestNodes;

namespace Gateway.WebProtocol.Tests.Client;

/// <summary>A client wired to a <see cref="ScriptedServer"/>, with the steps most tests share.</summary>
internal sealed class ClientHarness : IAsyncDisposable
{
    public const string DeviceJid = "15550001111:3@s.whatsapp.net";
    public const string LidJid = "99887766:3@lid";

    private ClientHarness(ScriptedServer server, WaClientStores stores, WaClientOptions options)
    {
        Server = server;
        Stores = stores;
        Options = options;
        Client = new WaClient(options, stores);
    }

    public ScriptedServer Server { get; }

    public WaClientStores Stores { get; }

    public WaClientOptions Options { get; }

    public WaClient Client { get; private set; }

    public ServerSession? Session { get; private set; }

    /// <summary>The keys the client uploaded at its first login: what the server hands to peers.</summary>
    public Node? Upload { get; private set; }

    public List<WaEvent> Seen { get; } = [];

    public static ClientHarness Create(int seed, Func<WaClientOptions, WaClientOptions>? configure = null)
    {
        var server = new ScriptedServer(seed);
        var options = new WaClientOptions
        {
            TransportFactory = server.ConnectAsync,
            RootPublicKey = server.Root.PublicKey,
            Random = new SeededRandom(seed + 1),
            InitialPreKeyCount = 10,
            Payload = new Gateway.WebProtocol.Noise.ClientPayloadOptions { PushName = "tester" },
        };
        return new ClientHarness(server, WaClientStores.InMemory(), configure?.Invoke(options) ?? options);
    }

    /// <summary>A new client over the same stores: what a restarted process is.</summary>
    public async Task RestartClientAsync()
    {
        await Client.DisposeAsync();
        Seen.Clear();
        Client = new WaClient(Options, Stores);
    }

    public async Task<FakePhone.QrParts> StartPairingAsync()
    {
        using var timeout = Timeout();
        Assert.Equal(ConnectOutcome.AwaitingPairing, await Client.ConnectAsync(timeout.Token));
        Session = await Server.NextSessionAsync();
        Assert.True(Session.Payload.DevicePairingData is not null);
        await Session.SendAsync(N(
            "iq",
            [("from", "@s.whatsapp.net"), ("type", "set"), ("id", "pd-1"), ("xmlns", "md")],
            N("pair-device", [], B("ref", "ref-one"u8.ToArray()), B("ref", "ref-two"u8.ToArray()))));
        var ack = await Session.ExpectAsync(node => node.Tag == "iq");
        Assert.Equal("pd-1", ack.GetAttribute("id"));
        var qr = await NextEventAsync<QrCodeEvent>();
        return FakePhone.ParseQr(qr.Text);
    }

    /// <summary>QR pairing, the 515 restart and the first login with a prekey upload.</summary>
    public async Task PairAndLoginAsync()
    {
        var qr = await StartPairingAsync();
        var account = Curve25519.GenerateKeyPair(new SeededRandom(77));
        await Session!.SendAsync(FakePhone.PairSuccess(qr, account, DeviceJid, LidJid));
        await Session.ExpectAsync(node => node.Tag == "iq" && node.GetChild("pair-device-sign") is not null);
        await NextEventAsync<PairedEvent>();
        await Session.SendAsync(N("stream:error", ("code", "515")));
        await Session.DisposeAsync();
        Session = await Server.NextSessionAsync();
        await ServeLoginAsync(Session, preKeyCount: 0);
        await NextEventAsync<ConnectedEvent>();
    }

    /// <summary>The server side of a login: success, then the iqs the client awaits before it is open.</summary>
    public async Task ServeLoginAsync(ServerSession session, int preKeyCount)
    {
        Assert.Equal(15550001111UL, session.Payload.Username);
        await session.SendAsync(N("success", ("t", "1700000000"), ("lid", "99887766@lid")));
        var count = await session.ExpectAsync(IsIq("encrypt", "count"));
        await session.SendAsync(ServerSession.Result(count, N("count", ("value", preKeyCount.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        if (preKeyCount == 0)
        {
            Upload = await session.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("xmlns") == "encrypt" && node.GetAttribute("type") == "set");
            await session.SendAsync(ServerSession.Result(Upload));
        }

        var passive = await session.ExpectAsync(IsIq("passive", "active"));
        await session.SendAsync(ServerSession.Result(passive));
        var digest = await session.ExpectAsync(IsIq("encrypt", "digest"));
        await session.SendAsync(ServerSession.Result(digest));
        await session.ExpectAsync(node => node.Tag == "presence");
    }

    public static Func<Node, bool> IsIq(string xmlns, string child) =>
        node => node.Tag == "iq" && node.GetAttribute("xmlns") == xmlns && node.GetChild(child) is not null;

    public async Task<T> NextEventAsync<T>()
        where T : WaEvent
    {
        using var timeout = Timeout();
        while (true)
        {
            var next = await Client.Events.ReadAsync(timeout.Token);
            Seen.Add(next);
            if (next is T match)
            {
                return match;
            }
        }
    }

    public static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        if (Session is not null)
        {
            await Session.DisposeAsync();
        }
    }
}
