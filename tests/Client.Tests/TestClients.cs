using Gateway.Emulator;
using Gateway.WebProtocol.Client;

namespace Gateway.Client.Tests;

/// <summary>One of our clients wired to an emulator, with its events collected.</summary>
internal sealed class TestClient : IAsyncDisposable
{
    private readonly HttpMessageHandler media;

    private TestClient(WaClient client, WaClientStores stores, HttpMessageHandler media)
    {
        Client = client;
        Stores = stores;
        this.media = media;
        Events = new ClientEvents(client);
    }

    public WaClient Client { get; }

    public WaClientStores Stores { get; }

    public ClientEvents Events { get; }

    /// <summary>A client on <paramref name="stores"/> (fresh in-memory ones when null), not yet connected.</summary>
    public static TestClient Create(EmulatorServer emulator, WaClientStores? stores = null, Func<WaClientOptions, WaClientOptions>? tweak = null)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        var media = EmulatorMediaTrust.Handler(emulator.CaCertificatePath);
        var options = new WaClientOptions
        {
            WebSocketUrl = emulator.WebSocketUrl,
            RootPublicKey = Convert.FromHexString(emulator.RootPublicKeyHex),
            InitialPreKeyCount = 30,
            MediaHttpHandler = media,
        };
        stores ??= WaClientStores.InMemory();
        return new TestClient(new WaClient(tweak?.Invoke(options) ?? options, stores), stores, media);
    }

    /// <summary>Connects, has the emulated phone of <paramref name="phone"/> scan the QR, waits until logged in.</summary>
    public static async Task<TestClient> PairAsync(
        EmulatorServer emulator, string phone, Func<WaClientOptions, WaClientOptions>? tweak = null, WaClientStores? stores = null)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        var client = Create(emulator, stores, tweak);
        using var timeout = new CancellationTokenSource(ClientEvents.DefaultTimeout);
        Assert.Equal(ConnectOutcome.AwaitingPairing, await client.Client.ConnectAsync(timeout.Token));
        var qr = await client.Events.WaitForAsync<QrCodeEvent>();
        await emulator.Admin.ScanQrAsync(qr.Text, phone, timeout.Token);
        await client.Events.WaitForAsync<ConnectedEvent>();
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Events.Pump;
        media.Dispose();
    }
}
