using System.Threading.Channels;
using Gateway.Configuration;
using Gateway.Logging;
using Gateway.Observability;
using Gateway.Providers;
using Gateway.SessionStore;
using Gateway.Webhooks;

namespace Gateway.Sessions;

/// <summary>
/// One tenant: its store (held open, so no other process can use the same credentials), its provider, its
/// webhook dispatcher and its status. It restarts the provider with backoff after a transient disconnect and
/// never after logged_out, replaced or qr_timeout.
/// </summary>
public sealed partial class TenantSession : IAsyncDisposable
{
    private readonly TenantSessionOptions options;
    private readonly IProviderFactory providers;
    private readonly TimeProvider time;
    private readonly GatewayMetrics metrics;
    private readonly ILogger logger;
    private readonly ReconnectBackoff backoff;
    private readonly SemaphoreSlim lifecycle = new(1, 1);
    private readonly Lock stateGate = new();
    private readonly List<Channel<SessionState>> subscribers = [];
    private IMessagingProvider? provider;
    private CancellationTokenSource? reconnect;
    private SessionState state;

    internal TenantSession(
        string tenantId,
        string directory,
        TenantStore store,
        TenantSettings settings,
        TenantSettingsFile settingsFile,
        IProviderFactory providers,
        WebhookSender webhookSender,
        TenantSessionOptions options,
        RetentionOptions retention,
        TimeProvider time,
        GatewayMetrics metrics,
        ILogger logger)
    {
        TenantId = tenantId;
        Directory = directory;
        Store = store;
        Settings = settings;
        SettingsFile = settingsFile;
        this.providers = providers;
        this.options = options;
        this.time = time;
        this.metrics = metrics;
        this.logger = logger;
        backoff = new ReconnectBackoff(options.ReconnectBaseDelay, options.ReconnectMaxDelay, new Random());
        state = SessionState.Initial(tenantId, settings.Provider);
        Webhooks = new WebhookDispatcher(tenantId, store.Outbox, ResolveWebhookTarget, webhookSender, new RetrySchedule(new Random()), time, metrics, logger)
        {
            Pruner = new TenantPruner(tenantId, store.Outbox, store.Messages, retention, time, new Random(), logger),
        };
        Webhooks.Start();
    }

    public string TenantId { get; }

    public string Directory { get; }

    public TenantStore Store { get; }

    public TenantSettings Settings { get; private set; }

    public SessionState State
    {
        get
        {
            lock (stateGate)
            {
                return state;
            }
        }
    }

    public IMessagingProvider? Provider => provider;

    internal WebhookDispatcher Webhooks { get; }

    /// <summary>Where this tenant's events go now (its own webhook, else the global one); null if nowhere.</summary>
    internal WebhookTarget? WebhookTarget => ResolveWebhookTarget();

    internal TenantSettingsFile SettingsFile { get; }

    /// <summary>Starts the provider unless it is already running; idempotent.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (provider is not null && !State.Status.IsTerminal())
            {
                return;
            }

            await StartProviderLockedAsync(cancellationToken);
        }
        finally
        {
            lifecycle.Release();
        }
    }

    /// <summary>Disconnects and keeps credentials.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await lifecycle.WaitAsync(cancellationToken);
        try
        {
            await CancelReconnectAsync();
            if (provider is { } running)
            {
                provider = null;
                await running.StopAsync(cancellationToken);
                await running.DisposeAsync();
            }

            await SetStateAsync(State with { Status = SessionStatus.Stopped, Qr = null, PairingCode = null }, cancellationToken);
        }
        finally
        {
            lifecycle.Release();
        }
    }

    /// <summary>Unlinks the device (web) or forgets the credentials (cloud).</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken)
    {
        await lifecycle.WaitAsync(cancellationToken);
        try
        {
            await CancelReconnectAsync();
            var running = provider ?? providers.Create(TenantId, Settings, Store);
            provider = null;
            await running.LogoutAsync(cancellationToken);
            await running.DisposeAsync();
            await SetStateAsync(State with { Status = SessionStatus.LoggedOut, Qr = null, PairingCode = null, PhoneNumber = null, Lid = null }, cancellationToken);
        }
        finally
        {
            lifecycle.Release();
        }
    }

    public void UpdateSettings(TenantSettings settings)
    {
        SettingsFile.Write(Directory, settings);
        Settings = settings;
        Webhooks.Notify();
    }

    /// <summary>Status and QR changes as they happen, starting with the current state.</summary>
    public async IAsyncEnumerable<SessionState> WatchAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<SessionState>(new BoundedChannelOptions(16)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (stateGate)
        {
            subscribers.Add(channel);
            channel.Writer.TryWrite(state);
        }

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            lock (stateGate)
            {
                subscribers.Remove(channel);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await lifecycle.WaitAsync();
        try
        {
            await CancelReconnectAsync();
            if (provider is { } running)
            {
                provider = null;
                try
                {
                    await running.StopAsync(CancellationToken.None);
                }
                finally
                {
                    await running.DisposeAsync();
                }
            }
        }
        finally
        {
            lifecycle.Release();
        }

        await Webhooks.DisposeAsync();
        lock (stateGate)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Writer.TryComplete();
            }
        }

        Store.Dispose();
        lifecycle.Dispose();
    }

    private async Task StartProviderLockedAsync(CancellationToken cancellationToken)
    {
        if (provider is { } previous)
        {
            provider = null;
            await previous.DisposeAsync();
        }

        await SetStateAsync(State with { Status = SessionStatus.Starting, Qr = null, PairingCode = null }, cancellationToken);
        var created = providers.Create(TenantId, Settings, Store);
        provider = created;
        try
        {
            await created.StartAsync(new ProviderEventSink(this, created), cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Provider of tenant {Tenant} failed to start", TenantId);
            await OnProviderStateAsync(created, new ProviderState(SessionStatus.Reconnecting, Disconnect: new DisconnectInfo(503, "start failed: " + error.GetType().Name, time.GetUtcNow())), cancellationToken);
        }
    }

    private WebhookTarget? ResolveWebhookTarget()
    {
        if (Settings.Webhook is { } own && Uri.TryCreate(own.Url, UriKind.Absolute, out var ownUrl) && own.Secrets.Count > 0)
        {
            return new WebhookTarget(ownUrl, [.. own.Secrets.Select(WebhookSecret.Parse)], own.Events?.ToHashSet(StringComparer.Ordinal));
        }

        if (options.WebhookUrl is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var globalUrl) && options.WebhookSecret is { Length: > 0 } secret)
        {
            return new WebhookTarget(globalUrl, [WebhookSecret.Parse(secret)], null, OperatorOwned: true);
        }

        return null;
    }

    private async Task CancelReconnectAsync()
    {
        if (reconnect is { } pending)
        {
            reconnect = null;
            await pending.CancelAsync();
            pending.Dispose();
        }
    }

    private string Masked(string? phone) => Redact.Phone(phone);
}
