using Gateway.Events;
using Gateway.Logging;
using Gateway.Messaging;
using Gateway.Sessions;
using Gateway.SessionStore;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Media;
using Gateway.WebProtocol.Signal.Stores;
using Gateway.WebProtocol.Types;

namespace Gateway.Providers.Web;

/// <summary>
/// A tenant on WhatsApp Web multi-device: one <see cref="WaClient"/> over the tenant's store. Each start is one
/// connection attempt; the session decides about reconnecting from the state this reports.
/// </summary>
internal sealed partial class WebProvider : IMessagingProvider, IPairingCodeProvider
{
    public const string ProviderName = "web";

    private readonly string tenantId;
    private readonly TenantStore store;
    private readonly WebProviderOptions options;
    private readonly HttpClient mediaFetch;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private WaClient? client;
    private IProviderEvents? events;
    private Task pump = Task.CompletedTask;
    private bool closing;

    public WebProvider(string tenantId, TenantStore store, WebProviderOptions options, HttpClient mediaFetch, TimeProvider time, ILoggerFactory loggers)
    {
        this.tenantId = tenantId;
        this.store = store;
        this.options = options;
        this.mediaFetch = mediaFetch;
        this.time = time;
        this.loggers = loggers;
        logger = loggers.CreateLogger<WebProvider>();
    }

    public string Name => ProviderName;

    public async Task StartAsync(IProviderEvents sink, CancellationToken cancellationToken)
    {
        // The client's own loops start inside this scope, so their lines name the tenant too.
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Tenant"] = tenantId });
        events = sink;
        var root = options.RootKeyBytes();
        client = new WaClient(
            new WaClientOptions
            {
                WebSocketUrl = options.WebSocketUrl,
                RootPublicKey = root is null ? null : root,
                TimeProvider = time,
                LoggerFactory = loggers,
                // The client acknowledges a message or receipt only after these returned: what they keep is on disk first.
                MessageHandler = OnMessageAsync,
                ReceiptHandler = OnReceiptsAsync,
                SendAckTimeout = options.SendAckTimeout,
                KeepAliveInterval = options.KeepAliveInterval,
                KeepAliveGrace = options.KeepAliveGrace,
                MaxQrCodes = options.MaxQrCodes,
                InitialPreKeyCount = options.InitialPreKeyCount,
                FirstQrLifetime = options.FirstQrLifetime,
                NextQrLifetime = options.NextQrLifetime,
                Payload = new WebProtocol.Noise.ClientPayloadOptions { PushName = options.PushName },
            },
            new WaClientStores(store.Credentials, store.LidMap, store.DeviceLists, _ => store.Signal, store.InboundBuffer, store.ProtocolTransactions));
        pump = Task.Run(() => PumpAsync(client, sink, stopping.Token), CancellationToken.None);
        await sink.OnStateAsync(new ProviderState(SessionStatus.Connecting), cancellationToken);
        await client.ConnectAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        closing = true;
        if (client is { } running)
        {
            await running.DisconnectAsync(cancellationToken);
        }
    }

    public async Task LogoutAsync(CancellationToken cancellationToken)
    {
        closing = true;
        if (client is { } running)
        {
            await running.LogoutAsync(cancellationToken);
        }
        else
        {
            await store.Credentials.DeleteAsync(cancellationToken);
        }
    }

    public async Task<string> RequestPairingCodeAsync(string phoneNumber, CancellationToken cancellationToken) =>
        await (client ?? throw new InvalidOperationException("The session has not started.")).RequestPairingCodeAsync(phoneNumber, cancellationToken);

    public async Task<string> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var running = client ?? throw new InvalidOperationException("The session has not started.");
        var to = Jid.Parse(message.To.Jid);
        if (message.Kind == MessageKind.Text)
        {
            await running.SendMessageAsync(to, OutgoingContent.Text(message.Text!), cancellationToken, message.MessageId);
            return message.MessageId;
        }

        var media = message.Media ?? throw new InvalidOperationException("A media message needs its media.");
        var bytes = media.Content ?? await FetchAsync(media.Url!, cancellationToken);
        var content = new MediaContent(ToKind(message.Kind), bytes, media.MimeType)
        {
            Caption = message.Kind == MessageKind.Audio ? null : message.Caption,
            FileName = message.Kind == MessageKind.Document ? media.FileName ?? "file" : null,
            VoiceNote = message.Kind == MessageKind.Audio && media.MimeType.StartsWith("audio/ogg", StringComparison.Ordinal),
        };
        await running.SendMediaAsync(to, content, cancellationToken, message.MessageId);
        return message.MessageId;
    }

    /// <summary>An inbound message, handed over by the client before it acknowledges it: committed when this returns.</summary>
    private async Task OnMessageAsync(ReceivedMessage received, CancellationToken cancellationToken)
    {
        if (received.FromMe || events is not { } sink)
        {
            return; // sent from the phone itself: nothing to report yet
        }

        await sink.OnMessageAsync(ReceivedMessageMapper.Map(received), cancellationToken);
    }

    /// <summary>A delivery or read receipt's statuses, committed before the client acknowledges the receipt.</summary>
    private async Task OnReceiptsAsync(IReadOnlyList<MessageStatusEvent> statuses, CancellationToken cancellationToken)
    {
        if (events is not { } sink)
        {
            throw new InvalidOperationException("The provider has not started.");
        }

        var at = time.GetUtcNow();
        var reports = statuses
            .Select(s => new MessageStatusReport(s.MessageId, s.From?.ToNonDevice().ToString(), ToDelivery(s.Status), at, null))
            .ToArray();
        await sink.OnStatusUpdatesAsync(reports, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        closing = true;
        await stopping.CancelAsync();
        if (client is { } running)
        {
            await running.DisposeAsync();
        }

        try
        {
            await pump;
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task<byte[]> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await mediaFetch.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException error) when (Outbound.GuardedHttpHandler.IsRefusal(error, out var refusal))
        {
            throw refusal!;
        }

        using var owned = response;
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength > options.MaxMediaBytes)
        {
            throw new InvalidOperationException("The media at mediaUrl is larger than allowed.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > options.MaxMediaBytes)
            {
                throw new InvalidOperationException("The media at mediaUrl is larger than allowed.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static MediaKind ToKind(MessageKind kind) => kind switch
    {
        MessageKind.Image => MediaKind.Image,
        MessageKind.Video => MediaKind.Video,
        MessageKind.Audio => MediaKind.Audio,
        _ => MediaKind.Document,
    };

    private string Masked(Jid? jid) => Redact.Phone(jid?.ToString());
}
