using Gateway.Configuration;
using Gateway.Sessions;
using Gateway.SessionStore.Abstractions;
using Gateway.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Sessions;

/// <summary>When a tenant's store is pruned, how much at a time, and what the settings switch off.</summary>
public sealed class TenantPrunerTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ShiftedClock clock = new();
    private readonly InMemoryWebhookOutbox outbox = new();
    private readonly InMemoryMessageRecordStore messages = new();

    // Past the start delay and the spread of first rounds over one (default) interval.
    private static readonly TimeSpan FirstRound = TenantPruner.FirstRoundDelay + new RetentionOptions().Interval + TimeSpan.FromMinutes(1);

    private TenantPruner Pruner(RetentionOptions? options = null) =>
        new("shop-1", outbox, messages, options ?? new RetentionOptions(), clock, new Random(1), NullLogger.Instance);

    private async Task DeliverAsync(int count, TimeSpan ago)
    {
        var at = clock.GetUtcNow() - ago;
        var sequences = await outbox.AppendAsync([.. Enumerable.Range(0, count).Select(_ => new NewOutboxEvent(Guid.NewGuid().ToString("N"), "message", [1], at))], None);
        await outbox.MarkDeliveredAsync(sequences, at, 200, None);
    }

    [Fact]
    public async Task The_first_prune_waits_for_the_start_delay_and_then_runs_at_most_once_per_interval()
    {
        var pruner = Pruner();
        await DeliverAsync(1, TimeSpan.FromDays(8));

        Assert.Equal(0, await pruner.PruneIfDueAsync(None));
        clock.Advance(TenantPruner.FirstRoundDelay - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await pruner.PruneIfDueAsync(None));
        clock.Advance(FirstRound);
        Assert.Equal(2, await pruner.PruneIfDueAsync(None)); // the event and its log entry

        await DeliverAsync(1, TimeSpan.FromDays(8));
        Assert.Equal(0, await pruner.PruneIfDueAsync(None));
        clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(0, await pruner.PruneIfDueAsync(None));
        clock.Advance(TimeSpan.FromMinutes(20)); // past the hour and its jitter
        Assert.Equal(2, await pruner.PruneIfDueAsync(None));
    }

    [Fact]
    public async Task A_backlog_larger_than_one_round_goes_on_at_the_next_round()
    {
        var perRound = TenantPruner.BatchSize * TenantPruner.BatchesPerRound;
        await DeliverAsync(perRound / 2 + 100, TimeSpan.FromDays(8)); // events plus log entries: perRound + 200 documents
        var pruner = Pruner();
        clock.Advance(FirstRound);

        Assert.Equal(perRound, await pruner.PruneIfDueAsync(None));
        Assert.Equal(200, await pruner.PruneIfDueAsync(None)); // at once, without waiting an interval
        await DeliverAsync(1, TimeSpan.FromDays(8));
        Assert.Equal(0, await pruner.PruneIfDueAsync(None)); // done: the next prune waits for the interval
    }

    [Fact]
    public async Task Each_kind_keeps_its_own_retention_and_zero_keeps_it()
    {
        await DeliverAsync(1, TimeSpan.FromDays(8));
        var dead = await outbox.AppendAsync([new NewOutboxEvent("dead", "message", [1], clock.GetUtcNow())], None);
        await outbox.DeadLetterAsync(dead, clock.GetUtcNow() - TimeSpan.FromDays(20), "HTTP 410", None);
        var old = clock.GetUtcNow() - TimeSpan.FromDays(40);
        await messages.PutAsync(
        [
            new MessageRecord { Id = "read", Direction = MessageDirection.Outbound, Chat = "1@s.whatsapp.net", Status = MessageStatus.Read, CreatedAt = old, UpdatedAt = old },
            new MessageRecord { Id = "sent", Direction = MessageDirection.Outbound, Chat = "1@s.whatsapp.net", Status = MessageStatus.Sent, CreatedAt = old, UpdatedAt = old },
        ], None);

        var keepAll = Pruner(new RetentionOptions { DeliveredEvents = TimeSpan.Zero, DeadLetters = TimeSpan.Zero, MessageRecords = TimeSpan.Zero });
        var never = Pruner(new RetentionOptions { Interval = TimeSpan.Zero });
        var defaults = Pruner();
        clock.Advance(FirstRound);
        Assert.Equal(0, await keepAll.PruneIfDueAsync(None));
        Assert.Equal(0, await never.PruneIfDueAsync(None));

        // Defaults: delivered after 7 days (event, and the log entries of both), dead letters after 30, settled records after 30.
        Assert.Equal(4, await defaults.PruneIfDueAsync(None));
        Assert.Equal(["dead"], (await outbox.ReadDeadLettersAsync(10, None)).Select(e => e.EventId));
        Assert.Null(await messages.GetByIdAsync("read", None));
        Assert.NotNull(await messages.GetByIdAsync("sent", None));
    }

    [Fact]
    public async Task Events_that_never_had_a_webhook_expire_after_their_own_retention()
    {
        var now = clock.GetUtcNow();
        await outbox.AppendAsync([new NewOutboxEvent("ancient", "message", [1], now - TimeSpan.FromDays(31))], None);
        await outbox.AppendAsync([new NewOutboxEvent("recent", "message", [1], now - TimeSpan.FromDays(29))], None);
        var keepPending = Pruner(new RetentionOptions { PendingEvents = TimeSpan.Zero });
        var defaults = Pruner();
        clock.Advance(FirstRound);

        Assert.Equal(0, await keepPending.PruneIfDueAsync(None));
        Assert.Equal(1, await defaults.PruneIfDueAsync(None));
        Assert.Equal(["recent"], (await outbox.ReadPendingAsync(10, None)).Select(e => e.EventId));
    }
}
