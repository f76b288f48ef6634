using Gateway.Configuration;
using Gateway.SessionStore.Abstractions;

namespace Gateway.Sessions;

/// <summary>
/// Retention for one tenant, driven by its webhook dispatcher: after each round the dispatcher runs (it runs when
/// events arrive or a retry is due, and its round has just opened the store) it asks whether a prune is due. So an
/// idle tenant's store is never opened for retention, and the idle close keeps working; its store does not grow
/// while idle either. A prune runs at most once per interval, in units of work of at most <see cref="BatchSize"/>
/// documents and at most <see cref="BatchesPerRound"/> of them per store, so delivery never waits long; a larger
/// backlog (the first prune of a file that grew for months) goes on at the next rounds until it is gone.
/// </summary>
internal sealed class TenantPruner
{
    internal const int BatchSize = 500;
    internal const int BatchesPerRound = 4;

    /// <summary>
    /// The first prune waits at least this long after the session opened, so it does not add to a start's restore,
    /// and then up to one interval more: the tenants a start restored all at once do not all prune at once.
    /// </summary>
    internal static readonly TimeSpan FirstRoundDelay = TimeSpan.FromMinutes(2);

    private readonly string tenantId;
    private readonly IWebhookOutbox outbox;
    private readonly IMessageRecordStore messages;
    private readonly RetentionOptions options;
    private readonly TimeProvider time;
    private readonly Random random;
    private readonly ILogger logger;
    private DateTimeOffset nextDue;

    public TenantPruner(string tenantId, IWebhookOutbox outbox, IMessageRecordStore messages, RetentionOptions options, TimeProvider time, Random random, ILogger logger)
    {
        this.tenantId = tenantId;
        this.outbox = outbox;
        this.messages = messages;
        this.options = options;
        this.time = time;
        this.random = random;
        this.logger = logger;
        nextDue = time.GetUtcNow() + FirstRoundDelay + (options.Interval * random.NextDouble());
    }

    private bool Enabled => options.Interval > TimeSpan.Zero
        && (options.DeliveredEvents > TimeSpan.Zero || options.DeadLetters > TimeSpan.Zero || options.PendingEvents > TimeSpan.Zero || options.MessageRecords > TimeSpan.Zero);

    /// <summary>Prunes if a prune is due; returns how many documents it deleted.</summary>
    public async Task<int> PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!Enabled || now < nextDue)
        {
            return 0;
        }

        // Set first: a prune that fails waits for the next interval rather than retrying every round.
        nextDue = now + Jittered(options.Interval);
        var (events, eventsLeft) = (0, false);
        if (options.DeliveredEvents > TimeSpan.Zero || options.DeadLetters > TimeSpan.Zero || options.PendingEvents > TimeSpan.Zero)
        {
            var retention = new OutboxRetention(Cutoff(now, options.DeliveredEvents), Cutoff(now, options.DeadLetters), Cutoff(now, options.PendingEvents));
            (events, eventsLeft) = await PruneBatchesAsync(max => outbox.PruneAsync(retention, max, cancellationToken));
        }

        var (records, recordsLeft) = (0, false);
        if (options.MessageRecords > TimeSpan.Zero)
        {
            var before = now - options.MessageRecords;
            (records, recordsLeft) = await PruneBatchesAsync(max => messages.PruneAsync(before, max, cancellationToken));
        }

        if (eventsLeft || recordsLeft)
        {
            nextDue = now; // more than one round's worth: go on at the next round
        }

        if (events + records > 0)
        {
            logger.LogDebug("Pruned {Events} outbox documents and {Records} message records of tenant {Tenant}", events, records, tenantId);
        }

        return events + records;
    }

    private static async Task<(int Removed, bool More)> PruneBatchesAsync(Func<int, Task<int>> prune)
    {
        var removed = 0;
        for (var batch = 0; batch < BatchesPerRound; batch++)
        {
            var count = await prune(BatchSize);
            removed += count;
            if (count < BatchSize)
            {
                return (removed, false);
            }
        }

        return (removed, true);
    }

    private static DateTimeOffset Cutoff(DateTimeOffset now, TimeSpan retention) =>
        retention > TimeSpan.Zero ? now - retention : DateTimeOffset.MinValue;

    // Up to a tenth later, so tenants that became due together do not all prune in the same second.
    private TimeSpan Jittered(TimeSpan interval) => interval + (interval * (0.1 * random.NextDouble()));
}
