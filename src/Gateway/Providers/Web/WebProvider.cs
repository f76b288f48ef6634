using System.Collections.Concurrent;
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
internal sealed partial class WebProvider : IMessagingProvider, IPairingCodeProvider, IInboundUnitOfWork
{
    public const string ProviderName = "web";

    private readonly string tenantId;
    private readonly TenantStore store;
    private readonly WebProviderOptions options;
    private readonly HttpClient mediaFetch;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> awaitingAck = new(StringComparer.Ordinal);
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
                InboundUnitOfWork = this,
                AckReceiptsWhenRecorded = true, // a delivered or read status is on disk before WhatsApp forgets it
                KeepAliveInterval = options.KeepAliveInterval,
                KeepAliveGrace = options.KeepAliveGrace,
                MaxQrCodes = options.MaxQrCodes,
                InitialPreKeyCount = options.InitialPreKeyCount,
                FirstQrLifetime = options.FirstQrLifetime,
                NextQrLifetime = options.NextQrLifetime,
                Payload = new WebProtocol.Noise.ClientPayloadOptions { PushName = options.PushName },
            },
            new WaClientStores(store.Credentials, store.LidMap, store.DeviceLists, _ => store.Signal));
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

    public async Task<string> SendAsync(OutboundMessage message, QueuedRecord queued, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queued);
        var running = client ?? throw new InvalidOperationException("The session has not started.");
        var to = Jid.Parse(message.To.Jid);
        var ack = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        awaitingAck[message.MessageId] = ack;
        try
        {
            if (message.Kind == MessageKind.Text)
            {
                // The record commits with the Signal sessions this send advances, before the stanza leaves.
                await running.SendMessageAsync(to, OutgoingContent.Text(message.Text!), cancellationToken, message.MessageId, new SendUnitOfWork(store, queued));
            }
            else
            {
                // Media may take long to fetch and upload: the record is there (queued) meanwhile.
                await queued.CommitAsync(cancellationToken);
                var media = message.Media ?? throw new InvalidOperationException("A media message needs its media.");
                var bytes = media.Content ?? await FetchAsync(media.Url!, cancellationToken);
                var content = new MediaContent(ToKind(message.Kind), bytes, media.MimeType)
                {
                    Caption = message.Kind == MessageKind.Audio ? null : message.Caption,
                    FileName = message.Kind == MessageKind.Document ? media.FileName ?? "file" : null,
                    VoiceNote = message.Kind == MessageKind.Audio && media.MimeType.StartsWith("audio/ogg", StringComparison.Ordinal),
                };
                await running.SendMediaAsync(to, content, cancellationToken, message.MessageId);
            }

            // "sent" means the server took it: wait for its ack.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.SendAckTimeout);
            var accepted = await ack.Task.WaitAsync(timeout.Token);
            return accepted ? message.MessageId : throw new InvalidOperationException("The server refused the message.");
        }
        finally
        {
            awaitingAck.TryRemove(message.MessageId, out _);
        }
    }

    /// <summary>The client's commit-then-ack seam: decrypt, record and outbox event in one transaction.</summary>
    public async Task RunAsync(Func<SignalStores, CancellationToken, Task<ReceivedMessage>> decrypt, CancellationToken cancellationToken)
    {
        var sink = events ?? throw new InvalidOperationException("The provider has not started.");
        var committed = false;
        await store.RunInTransactionAsync(
            async (stores, token) =>
            {
                committed = await WriteReceivedAsync(sink, stores, await decrypt(stores.Signal, token), token);
            },
            cancellationToken);
        if (committed)
        {
            sink.InboundCommitted(1);
        }
    }

    /// <summary>
    /// Messages that waited together: each one's Signal change, record and event in one transaction, each isolated
    /// so a message that fails leaves the others; the dispatcher is woken once, after the commit.
    /// </summary>
    public async Task RunBatchAsync(Func<IInboundBatch, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var sink = events ?? throw new InvalidOperationException("The provider has not started.");
        var batch = default(InboundBatch);
        await store.RunInTransactionAsync(
            async (stores, token) =>
            {
                batch = new InboundBatch(sink, stores);
                await work(batch, token);
            },
            cancellationToken);
        if (batch is { Written: > 0 } done)
        {
            sink.InboundCommitted(done.Written);
        }
    }

    /// <summary>Writes a decrypted message's record and event; false for a message sent from the phone itself.</summary>
    private static async Task<bool> WriteReceivedAsync(IProviderEvents sink, ITenantStores stores, ReceivedMessage received, CancellationToken cancellationToken)
    {
        if (received.FromMe)
        {
            return false; // sent from the phone itself: the Signal state still commits
        }

        await sink.WriteInboundAsync(stores, ReceivedMessageMapper.Map(received), cancellationToken);
        return true;
    }

    private sealed class InboundBatch(IProviderEvents sink, IUnitOfWorkStores stores) : IInboundBatch
    {
        public int Written { get; private set; }

        public async Task<ReceivedMessage> DecryptAsync(Func<SignalStores, CancellationToken, Task<ReceivedMessage>> decrypt, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(decrypt);
            var (received, written) = await stores.IsolateAsync(
                async token =>
                {
                    var message = await decrypt(stores.Signal, token);
                    return (message, await WriteReceivedAsync(sink, stores, message, token));
                },
                cancellationToken);
            if (written)
            {
                Written++;
            }

            return received;
        }
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
