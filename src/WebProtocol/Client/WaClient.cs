using System.Collections.Concurrent;
using System.Threading.Channels;
using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Client.Send;
using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Media;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;
using Gateway.WebProtocol.Types;
using Microsoft.Extensions.Logging;

namespace Gateway.WebProtocol.Client;

/// <summary>
/// One linked WhatsApp device: connects, pairs or logs in, sends and receives end-to-end encrypted 1:1
/// messages, and reports what happens on <see cref="Events"/>. It never reconnects on its own except for the
/// restart WhatsApp asks for right after pairing; reconnecting after a drop is the session layer's call
/// (see <see cref="DisconnectReason.ShouldReconnect"/>).
/// </summary>
public sealed partial class WaClient : IAsyncDisposable
{
    private readonly WaClientOptions options;
    private readonly WaClientStores stores;
    private readonly ILogger log;
    private readonly Channel<WaEvent> events = Channel.CreateUnbounded<WaEvent>(new UnboundedChannelOptions
    {
        SingleReader = false,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    });

    private readonly SemaphoreSlim lifecycleGate = new(1, 1);
    private readonly SemaphoreSlim signalGate = new(1, 1);
    private readonly RecentMessages recent;
    private readonly ConcurrentDictionary<string, int> inboundRetries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> outboundRetries = new(StringComparer.Ordinal);
    private readonly HttpClient mediaHttp;
    private readonly CancellationTokenSource lifetime = new();
    private readonly IProtocolTransactions transactions;
    private DeviceCredentials? credentials;
    private SignalStores? signal;
    private LiveConnection? live;
    private MediaConnection? mediaConnection;
    private int disposed;

    public WaClient(WaClientOptions options, WaClientStores stores)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentNullException.ThrowIfNull(stores);
        // Device lists and LID pairs are read on every send; this client is their only writer while it runs.
        this.stores = new WaClientStores(
            stores.Credentials, new CachedLidMapStore(stores.LidMap), new CachedDeviceListStore(stores.DeviceLists), stores.SignalFactory, stores.InboundBuffer, stores.Transactions);
        transactions = stores.Transactions ?? new DirectProtocolTransactions(() => ActiveSignal, stores.InboundBuffer);
        log = options.LoggerFactory.CreateLogger<WaClient>();
        recent = new RecentMessages(options.RecentMessageCapacity);
        mediaHttp = options.MediaHttpHandler is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
    }

    /// <summary>Every QR code, pairing code, connect, disconnect, inbound message and status change, in order.</summary>
    public ChannelReader<WaEvent> Events => events.Reader;

    /// <summary>This device's phone-number JID (with device), once paired.</summary>
    public Jid? Device => credentials?.MePn is { } pn && Jid.TryParse(pn, out var jid) ? jid : null;

    /// <summary>This device's LID (with device), once the server told it.</summary>
    public Jid? Lid => credentials?.MeLid is { } lid && Jid.TryParse(lid, out var jid) ? jid : null;

    /// <summary>Whether a connection is up and logged in.</summary>
    public bool IsConnected => live is { IsLoggedIn: true, HasEnded: false };

    /// <summary>Whether credentials exist from an earlier pairing (a start logs in without a QR code).</summary>
    public bool IsRegistered => credentials?.Registered ?? false;

    /// <summary>The Signal stores in use (after <see cref="ConnectAsync"/> loaded or created the credentials).</summary>
    public SignalStores SignalStores => signal ?? throw new InvalidOperationException("the client has not started");

    private TimeProvider Time => options.TimeProvider;

    /// <summary>Closes the connection (a <see cref="DisconnectedEvent"/> with <see cref="DisconnectKind.ClientClosed"/> follows).</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        if (live is { } connection)
        {
            await EndAsync(connection, new DisconnectReason(DisconnectKind.ClientClosed)).ConfigureAwait(false);
        }
    }

    /// <summary>Unlinks this device on the server (remove-companion-device) when connected, then forgets the credentials.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken)
    {
        if (live is { IsLoggedIn: true } connection && Device is { } me)
        {
            try
            {
                await QueryAsync(
                    id => Stanza.Make(
                        "iq",
                        Stanza.Attrs(("id", id), ("to", Stanza.Server), ("type", "set"), ("xmlns", "md")),
                        Stanza.Make("remove-companion-device", Stanza.Attrs(("jid", me.ToString()), ("reason", "user_initiated")))),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IqException or TimeoutException or Transport.ConnectionException)
            {
                log.LogInformation("logout request was not confirmed: {Error}", ex.GetType().Name);
            }

            await EndAsync(connection, new DisconnectReason(DisconnectKind.LoggedOut, 401, "logged out by the application")).ConfigureAwait(false);
        }

        await stores.Credentials.DeleteAsync(cancellationToken).ConfigureAwait(false);
        credentials = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await lifetime.CancelAsync().ConfigureAwait(false);
        if (live is { } connection)
        {
            await EndAsync(connection, new DisconnectReason(DisconnectKind.ClientClosed)).ConfigureAwait(false);
        }

        events.Writer.TryComplete();
        mediaHttp.Dispose();
        lifecycleGate.Dispose();
        lifetime.Dispose();
    }

    private void Emit(WaEvent e) => events.Writer.TryWrite(e);

    private LiveConnection RequireLoggedIn() =>
        live is { IsLoggedIn: true, HasEnded: false } connection
            ? connection
            : throw new InvalidOperationException("the client is not connected and logged in");

    private DeviceCredentials Creds => credentials ?? throw new InvalidOperationException("the client has not started");

    private SignalStores ActiveSignal => signal ?? throw new InvalidOperationException("the client has not started");

    private async Task SaveCredentialsAsync(DeviceCredentials updated, CancellationToken cancellationToken)
    {
        await stores.Credentials.SaveAsync(updated, cancellationToken).ConfigureAwait(false);
        credentials = updated;
    }
}
