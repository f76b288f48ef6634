using Gateway.Observability;
using Gateway.SessionStore.Abstractions;

namespace Gateway.Webhooks;

/// <summary>
/// Delivers one tenant's outbox in order. The head event blocks the ones behind it until it is delivered or
/// dead-lettered, so a receiver sees a tenant's events in the order they happened. The outbox is the only
/// state: a restart resumes where the last commit left off (at least once; the webhook-id dedupes).
/// </summary>
public sealed class WebhookDispatcher : IAsyncDisposable
{
    private const int BatchSize = 32;

    private readonly string tenantId;
    private readonly IWebhookOutbox outbox;
    private readonly Func<WebhookTarget?> target;
    private readonly WebhookSender sender;
    private readonly RetrySchedule schedule;
    private readonly TimeProvider time;
    private readonly GatewayMetrics metrics;
    private readonly ILogger logger;
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;

    public WebhookDispatcher(
        string tenantId,
        IWebhookOutbox outbox,
        Func<WebhookTarget?> target,
        WebhookSender sender,
        RetrySchedule schedule,
        TimeProvider time,
        GatewayMetrics metrics,
        ILogger logger)
    {
        this.tenantId = tenantId;
        this.outbox = outbox;
        this.target = target;
        this.sender = sender;
        this.schedule = schedule;
        this.time = time;
        this.metrics = metrics;
        this.logger = logger;
    }

    public TimeSpan AttemptTimeout { get; init; } = WebhookSender.DefaultTimeout;

    /// <summary>Retention for this tenant's store, run after each round (the tenant is active and its store open).</summary>
    internal Sessions.TenantPruner? Pruner { get; init; }

    public void Start() => loop ??= Task.Run(() => RunAsync(stopping.Token));

    /// <summary>New events were appended or the target changed: look again now.</summary>
    public void Notify()
    {
        // One pending wake-up covers any number of notifications. Checked under a lock rather than by catching
        // SemaphoreFullException: a busy tenant notifies for every event, and an exception each time costs more
        // than the delivery it announces.
        lock (wake)
        {
            if (wake.CurrentCount == 0)
            {
                wake.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (loop is not null)
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        stopping.Dispose();
        wake.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan? wait;
            try
            {
                wait = await DeliverDueAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // A store fault must not end delivery for good: log it, back off, try again.
                logger.LogError(error, "Webhook delivery for tenant {Tenant} failed; retrying", tenantId);
                wait = TimeSpan.FromSeconds(5);
            }

            if (!await PruneAsync(cancellationToken))
            {
                return;
            }

            await wake.WaitAsync(wait ?? Timeout.InfiniteTimeSpan, cancellationToken);
        }
    }

    /// <summary>Runs the pruner if one is due; returns false once the dispatcher is stopping.</summary>
    private async Task<bool> PruneAsync(CancellationToken cancellationToken)
    {
        if (Pruner is not { } pruner)
        {
            return true;
        }

        try
        {
            await pruner.PruneIfDueAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception error)
        {
            // Retention is housekeeping: a failed prune must not stop delivery; the next interval tries again.
            logger.LogWarning(error, "Pruning the store of tenant {Tenant} failed", tenantId);
        }

        return true;
    }

    /// <summary>Delivers what is due; returns how long to sleep unless woken (null: until woken).</summary>
    private async Task<TimeSpan?> DeliverDueAsync(CancellationToken cancellationToken)
    {
        // Successes are recorded together, one commit per batch rather than per delivery, and always before a failure
        // or a dead letter after them, so the log keeps its order. A crash before the record commits only means those
        // events go out again: delivery is at least once, and webhook-id lets receivers drop repeats.
        var delivered = new List<(long Sequence, DateTimeOffset At, int? StatusCode)>();
        try
        {
            return await DeliverBatchesAsync(delivered, cancellationToken);
        }
        finally
        {
            await RecordDeliveredAsync(delivered, CancellationToken.None);
        }
    }

    private async Task<TimeSpan?> DeliverBatchesAsync(List<(long Sequence, DateTimeOffset At, int? StatusCode)> delivered, CancellationToken cancellationToken)
    {
        while (true)
        {
            await RecordDeliveredAsync(delivered, cancellationToken);
            if (target() is not { } current)
            {
                return null;
            }

            var pending = await outbox.ReadPendingAsync(BatchSize, cancellationToken);
            if (pending.Count == 0)
            {
                return null;
            }

            foreach (var item in pending)
            {
                var now = time.GetUtcNow();
                if (item.NextAttemptAt > now)
                {
                    return item.NextAttemptAt - now;
                }

                if (!current.Wants(item.EventType))
                {
                    await RecordDeliveredAsync(delivered, cancellationToken);
                    await outbox.DeadLetterAsync([item.Sequence], now, "event not subscribed", cancellationToken);
                    continue;
                }

                var attempt = await sender.SendAsync(current, item.EventId, item.Payload, AttemptTimeout, cancellationToken);
                var at = time.GetUtcNow();
                metrics.Increment(MetricNames.WebhookDeliveries, "Webhook delivery attempts by result.", GatewayMetrics.Label("result", attempt.Outcome.ToString().ToLowerInvariant()));
                if (attempt.Outcome == AttemptOutcome.Delivered)
                {
                    delivered.Add((item.Sequence, at, attempt.StatusCode));
                    continue;
                }

                await RecordDeliveredAsync(delivered, cancellationToken);
                var failures = item.Attempts + 1;
                if (attempt.Outcome == AttemptOutcome.Reject || schedule.IsExhausted(failures))
                {
                    logger.LogWarning("Webhook event {Sequence} of tenant {Tenant} dead-lettered after {Attempts} attempts: {Error}", item.Sequence, tenantId, failures, attempt.Error);
                    await outbox.DeadLetterAsync([item.Sequence], at, attempt.Error ?? "rejected", cancellationToken);
                    continue;
                }

                var delay = schedule.NextDelay(failures, attempt.RetryAfter);
                await outbox.RecordFailuresAsync([new OutboxFailure(item.Sequence, at, at + delay, attempt.StatusCode, attempt.Error ?? "failed")], cancellationToken);
                return delay;
            }

            if (pending.Count < BatchSize)
            {
                // That was all there was: an event appended since then came with a Notify, which wakes the loop
                // at once, so reading again now would mostly find nothing (one query per wake-up saved).
                return null;
            }
        }
    }

    /// <summary>Records the successes so far: one commit for the batch (per status code the receiver answered).</summary>
    private async Task RecordDeliveredAsync(List<(long Sequence, DateTimeOffset At, int? StatusCode)> delivered, CancellationToken cancellationToken)
    {
        if (delivered.Count == 0)
        {
            return;
        }

        foreach (var group in delivered.GroupBy(d => d.StatusCode))
        {
            await outbox.MarkDeliveredAsync([.. group.Select(d => d.Sequence)], group.Max(d => d.At), group.Key, cancellationToken);
        }

        delivered.Clear();
    }
}
