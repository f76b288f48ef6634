using System.Collections.Concurrent;
using Gateway.Configuration;
using Gateway.Observability;
using Gateway.Providers;
using Gateway.SessionStore;
using Gateway.Webhooks;
using Microsoft.Extensions.Options;

namespace Gateway.Sessions;

/// <summary>
/// Owns every tenant's session in this process. At start it brings back, a few at a time, the tenants that
/// were running and can log in without a QR; at shutdown it closes them all.
/// </summary>
public sealed class SessionManager : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TenantSession> sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim openGate = new(1, 1);
    private readonly GatewayOptions gateway;
    private readonly TenantSessionOptions options;
    private readonly RetentionOptions retention;
    private readonly IProviderFactory providers;
    private readonly WebhookSender webhookSender;
    private readonly TimeProvider time;
    private readonly GatewayMetrics metrics;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly TenantSettingsFile settingsFile;
    private readonly FsyncPolicy fsync;
    private readonly IdleMemoryTrimmer? memoryTrimmer;
    private readonly CancellationTokenSource shutdown = new();
    private Task restore = Task.CompletedTask;
    private int stopped;

    public SessionManager(
        IOptions<GatewayOptions> gateway,
        IOptions<TenantSessionOptions> options,
        IOptions<RetentionOptions> retention,
        IProviderFactory providers,
        WebhookSender webhookSender,
        TimeProvider time,
        GatewayMetrics metrics,
        ILoggerFactory loggers,
        IdleMemoryTrimmer? memoryTrimmer = null)
    {
        this.memoryTrimmer = memoryTrimmer;
        this.gateway = gateway.Value;
        this.options = options.Value;
        this.retention = retention.Value;
        this.providers = providers;
        this.webhookSender = webhookSender;
        this.time = time;
        this.metrics = metrics;
        this.loggers = loggers;
        logger = loggers.CreateLogger<SessionManager>();
        settingsFile = new TenantSettingsFile(this.options.StoreKey);
        fsync = FsyncPolicy.Parse(this.options.Fsync); // a wrong value stops the start, not every tenant later
        metrics.AddGauge(MetricNames.Sessions, "Sessions by status.", () =>
            sessions.Values.GroupBy(s => s.State.Status).Select(g => (GatewayMetrics.Label("status", g.Key.WireName()), (double)g.Count())));
        memoryTrimmer?.Track(OpenEngines);
        metrics.AddGauge(MetricNames.StoreEnginesOpen, "Tenant stores whose database engine is open (the others are idle and hold no cache).", () =>
            [(string.Empty, OpenEngines())]);
        // Summed over the tenants this process holds: a message's cost in store work, next to its CPU and allocation.
        metrics.AddSampledCounter(MetricNames.StoreCommits, "Transactions the tenants' stores committed.", () =>
            [(string.Empty, sessions.Values.Sum(s => (double)s.Store.Commits))]);
        metrics.AddSampledCounter(MetricNames.StoreReads, "Reads of committed state the tenants' stores made outside units of work.", () =>
            [(string.Empty, sessions.Values.Sum(s => (double)s.Store.Reads))]);
    }

    /// <summary>True once the tenants found at start have been restored (or failed to).</summary>
    public bool Restored => restore.IsCompleted;

    /// <summary>How long a start request waits for a QR or a connection.</summary>
    public TimeSpan StartWait => options.StartWait;

    public IReadOnlyCollection<TenantSession> All => [.. sessions.Values.OrderBy(s => s.TenantId, StringComparer.Ordinal)];

    public TenantSession? Get(string tenantId) => sessions.GetValueOrDefault(tenantId);

    public TenantSession? FindCloudTenant(string phoneNumberId) =>
        sessions.Values.FirstOrDefault(s => s.Settings.Cloud?.PhoneNumberId == phoneNumberId);

    /// <summary>Opens the tenant (creating it with <paramref name="settings"/> if new) and starts it.</summary>
    public async Task<TenantSession> StartAsync(string tenantId, TenantSettings? settings, CancellationToken cancellationToken)
    {
        var session = await OpenAsync(tenantId, settings, cancellationToken);
        if (!session.Settings.AutoStart)
        {
            session.UpdateSettings(session.Settings with { AutoStart = true });
        }

        await session.StartAsync(cancellationToken);
        return session;
    }

    public async Task<bool> StopAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (Get(tenantId) is not { } session)
        {
            return false;
        }

        session.UpdateSettings(session.Settings with { AutoStart = false });
        await session.StopAsync(cancellationToken);
        return true;
    }

    public async Task<bool> LogoutAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (Get(tenantId) is not { } session)
        {
            return false;
        }

        session.UpdateSettings(session.Settings with { AutoStart = false });
        await session.LogoutAsync(cancellationToken);
        return true;
    }

    /// <summary>Logs the tenant out and removes its folder: store, settings, everything.</summary>
    public async Task<bool> DeleteAsync(string tenantId, CancellationToken cancellationToken)
    {
        var directory = TenantDirectory(tenantId);
        if (sessions.TryRemove(tenantId, out var session))
        {
            try
            {
                await session.LogoutAsync(cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Logout of tenant {Tenant} failed while deleting it", tenantId);
            }

            await session.DisposeAsync();
        }
        else if (!Directory.Exists(directory))
        {
            return false;
        }
        else
        {
            // Not open here: take the store's lock first, so a folder another process holds is never deleted
            // (TenantStoreLockedException goes to the caller). A damaged or foreign-key store is what delete is for.
            try
            {
                TenantStore.Open(gateway.SessionsDir, tenantId, StoreOptions()).Dispose();
            }
            catch (TenantStoreException error) when (error is not TenantStoreLockedException)
            {
                logger.LogWarning("Deleting tenant {Tenant} whose store does not open: {Reason}", tenantId, error.GetType().Name);
            }
        }

        Directory.Delete(directory, recursive: true);
        return true;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        restore = Task.Run(() => RestoreAsync(shutdown.Token), CancellationToken.None);
        await Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host stops it, then the container disposes it: the second call finds nothing left to do.
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        await shutdown.CancelAsync();
        try
        {
            await restore.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(sessions.Values.Select(async s =>
        {
            try
            {
                await s.DisposeAsync();
            }
            catch (Exception error)
            {
                logger.LogError(error, "Closing tenant {Tenant} failed", s.TenantId);
            }
        }));
        sessions.Clear();
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    internal string TenantDirectory(string tenantId) => Path.Combine(gateway.SessionsDir, tenantId);

    private TenantStoreOptions StoreOptions()
    {
        return new TenantStoreOptions
        {
            EncryptionKey = options.StoreKey,
            Fsync = fsync,
            IdleClose = options.StoreIdleClose > TimeSpan.Zero ? options.StoreIdleClose : null,
            EngineClosed = memoryTrimmer is null ? null : memoryTrimmer.NoteRelease,
        };
    }

    private async Task<TenantSession> OpenAsync(string tenantId, TenantSettings? settings, CancellationToken cancellationToken)
    {
        if (!TenantId.IsValid(tenantId))
        {
            throw new ArgumentException($"A tenant id is {TenantId.Rule}.", nameof(tenantId));
        }

        if (sessions.TryGetValue(tenantId, out var existing))
        {
            if (settings is not null && settings != existing.Settings)
            {
                existing.UpdateSettings(settings with { Webhook = settings.Webhook ?? existing.Settings.Webhook, CreatedAt = existing.Settings.CreatedAt });
            }

            return existing;
        }

        await openGate.WaitAsync(cancellationToken);
        try
        {
            if (sessions.TryGetValue(tenantId, out existing))
            {
                return existing;
            }

            var directory = TenantDirectory(tenantId);
            var stored = settingsFile.Read(directory);
            var effective = settings is null
                ? stored ?? new TenantSettings(TenantSettings.WebProvider, null, null, time.GetUtcNow())
                : settings with { Webhook = settings.Webhook ?? stored?.Webhook, CreatedAt = stored?.CreatedAt ?? time.GetUtcNow() };
            var store = TenantStore.Open(gateway.SessionsDir, tenantId, StoreOptions());
            try
            {
                settingsFile.Write(directory, effective);
            }
            catch
            {
                store.Dispose();
                throw;
            }

            var session = new TenantSession(tenantId, directory, store, effective, settingsFile, providers, webhookSender, options, retention, time, metrics, loggers.CreateLogger<TenantSession>());
            sessions[tenantId] = session;
            return session;
        }
        finally
        {
            openGate.Release();
        }
    }

    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(gateway.SessionsDir))
        {
            return;
        }

        var candidates = Directory.EnumerateDirectories(gateway.SessionsDir)
            .Select(Path.GetFileName)
            .Where(name => TenantId.IsValid(name) && File.Exists(TenantSettingsFile.PathFor(TenantDirectory(name!))))
            .Cast<string>()
            .ToArray();
        logger.LogInformation("Restoring up to {Count} tenants", candidates.Length);
        await Parallel.ForEachAsync(
            candidates,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.RestoreParallelism), CancellationToken = cancellationToken },
            async (tenantId, token) =>
            {
                try
                {
                    var settings = settingsFile.Read(TenantDirectory(tenantId));
                    if (settings is null)
                    {
                        return;
                    }

                    // A stopped tenant is opened too, so it is listed as stopped rather than unknown.
                    var session = await OpenAsync(tenantId, null, token);
                    if (!settings.AutoStart)
                    {
                        return;
                    }

                    var canLogIn = settings.Provider != TenantSettings.WebProvider
                        || await session.Store.Credentials.LoadAsync(token) is { Registered: true };
                    if (canLogIn)
                    {
                        await session.StartAsync(token);
                    }
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogError(error, "Restoring tenant {Tenant} failed", tenantId);
                }
            });
    }

    private int OpenEngines() => sessions.Values.Count(s => s.Store.EngineOpen);
}
