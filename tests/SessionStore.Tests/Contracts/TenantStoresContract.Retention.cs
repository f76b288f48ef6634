using Gateway.SessionStore.Abstractions;

namespace Gateway.SessionStore.Tests.Contracts;

/// <summary>Retention: what a prune deletes, what it keeps, and that it works in bounded batches.</summary>
public abstract partial class TenantStoresContract
{
    private static readonly DateTimeOffset OneDayIn = T0.AddDays(1);

    private static async Task<int[]> PruneUntilDoneAsync(Func<Task<int>> prune, int max)
    {
        var batches = new List<int>();
        while (batches.Count < 50)
        {
            var removed = await prune();
            batches.Add(removed);
            if (removed < max)
            {
                return [.. batches];
            }
        }
        throw new InvalidOperationException("The prune never finished.");
    }

    [Fact]
    public Task Outbox_prune_removes_old_delivered_events_keeps_pending_and_young_ones_and_dead_letters_by_their_own_cutoff() => RunAsync(async stores =>
    {
        var seq = await stores.Outbox.AppendAsync([Event("old"), Event("young"), Event("dead"), Event("retrying"), Event("waiting")], None);
        await stores.Outbox.RecordFailuresAsync([new(seq[3], T0.AddHours(1), T0.AddDays(3), 503, "http 503")], None);
        await stores.Outbox.MarkDeliveredAsync([seq[0]], T0.AddHours(1), 200, None);
        await stores.Outbox.DeadLetterAsync([seq[2]], T0.AddHours(1), "HTTP 410", None);
        await stores.Outbox.MarkDeliveredAsync([seq[1]], T0.AddDays(10), 200, None);

        // Dead letters kept (MinValue): the old delivered event and the three log entries written before the cutoff go.
        Assert.Equal(4, await stores.Outbox.PruneAsync(new OutboxRetention(OneDayIn, DateTimeOffset.MinValue), 100, None));

        Assert.Null(await stores.Outbox.GetAsync(seq[0], None));
        Assert.Equal(OutboxEventState.Delivered, (await stores.Outbox.GetAsync(seq[1], None))!.State);
        Assert.Equal(["dead"], (await stores.Outbox.ReadDeadLettersAsync(10, None)).Select(e => e.EventId));
        Assert.Equal(["retrying", "waiting"], (await stores.Outbox.ReadPendingAsync(10, None)).Select(e => e.EventId));
        Assert.Equal([(seq[1], DeliveryOutcome.Delivered)], (await stores.Outbox.ReadDeliveryLogAsync(null, 10, None)).Select(e => (e.Sequence, e.Outcome)));
        Assert.Equal(0, await stores.Outbox.PruneAsync(new OutboxRetention(OneDayIn, DateTimeOffset.MinValue), 100, None));

        // The dead letter by its own cutoff; the pending ones stay whatever the cutoffs.
        var farFuture = T0.AddYears(1);
        Assert.Equal(1, await stores.Outbox.PruneAsync(new OutboxRetention(OneDayIn, OneDayIn), 100, None));
        Assert.Empty(await stores.Outbox.ReadDeadLettersAsync(10, None));
        Assert.Equal(2, await stores.Outbox.PruneAsync(new OutboxRetention(farFuture, farFuture), 100, None)); // "young" and its log entry
        Assert.Equal(["retrying", "waiting"], (await stores.Outbox.ReadPendingAsync(10, None)).Select(e => e.EventId));

        // A pruned event's id is forgotten: appending it again makes a new pending event.
        var again = await stores.Outbox.AppendAsync([Event("old")], None);
        Assert.True(again[0] > seq[4]);
        Assert.Equal(["retrying", "waiting", "old"], (await stores.Outbox.ReadPendingAsync(10, None)).Select(e => e.EventId));
    });

    [Fact]
    public Task Outbox_prune_deletes_at_most_max_documents_per_call() => RunAsync(async stores =>
    {
        var seq = await stores.Outbox.AppendAsync([.. Enumerable.Range(0, 7).Select(i => Event($"e{i}", i))], None);
        foreach (var sequence in seq)
        {
            await stores.Outbox.MarkDeliveredAsync([sequence], T0.AddMinutes(sequence), 200, None);
        }

        var retention = new OutboxRetention(OneDayIn, OneDayIn);
        var batches = await PruneUntilDoneAsync(() => stores.Outbox.PruneAsync(retention, 3, None), 3);

        // Seven events and their seven log entries, three at a time.
        Assert.Equal([3, 3, 3, 3, 2], batches);
        Assert.Empty(await stores.Outbox.ReadDeliveryLogAsync(null, 10, None));
        foreach (var sequence in seq)
        {
            Assert.Null(await stores.Outbox.GetAsync(sequence, None));
        }
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => stores.Outbox.PruneAsync(retention, 0, None));
    });

    [Fact]
    public Task Outbox_prune_drops_pending_events_created_before_their_cutoff_oldest_first() => RunAsync(async stores =>
    {
        // A tenant without a webhook: nothing is ever delivered, so its events stay pending until they expire.
        var old = await stores.Outbox.AppendAsync([.. Enumerable.Range(0, 5).Select(i => Event($"old{i}", i))], None);
        var young = await stores.Outbox.AppendAsync([new NewOutboxEvent("young", "message", [1], T0.AddDays(2))], None);
        var delivered = await stores.Outbox.AppendAsync([Event("delivered", 9)], None);
        await stores.Outbox.MarkDeliveredAsync(delivered, T0.AddDays(3), 200, None);

        // The default cutoff keeps every pending event.
        Assert.Equal(0, await stores.Outbox.PruneAsync(new OutboxRetention(OneDayIn, OneDayIn), 100, None));

        var retention = new OutboxRetention(OneDayIn, OneDayIn, OneDayIn);
        var batches = await PruneUntilDoneAsync(() => stores.Outbox.PruneAsync(retention, 2, None), 2);
        Assert.Equal([2, 2, 1], batches);
        Assert.Equal(["young"], (await stores.Outbox.ReadPendingAsync(10, None)).Select(e => e.EventId));
        Assert.Null(await stores.Outbox.GetAsync(old[0], None));
        Assert.Equal(OutboxEventState.Delivered, (await stores.Outbox.GetAsync(delivered[0], None))!.State);
        Assert.Equal(young[0], (await stores.Outbox.AppendAsync([new NewOutboxEvent("young", "message", [1], T0)], None))[0]);
    });

    [Fact]
    public Task Messages_prune_removes_settled_records_and_keeps_those_in_flight() => RunAsync(async stores =>
    {
        var records = Enum.GetValues<MessageStatus>().Select(status => Outbound($"3EB0{status}", $"key-{status}", status)).ToList();
        records.Add(Outbound("3EB0RECENT", status: MessageStatus.Read) with { UpdatedAt = T0.AddDays(10) });
        await stores.Messages.PutAsync(records, None);

        var batches = await PruneUntilDoneAsync(() => stores.Messages.PruneAsync(OneDayIn, 3, None), 3);

        Assert.Equal([3, 1], batches);
        foreach (var status in Enum.GetValues<MessageStatus>())
        {
            var kept = await stores.Messages.GetByIdAsync($"3EB0{status}", None);
            Assert.Equal(!MessageStatusRules.IsSettled(status), kept is not null);
        }
        Assert.NotNull(await stores.Messages.GetByIdAsync("3EB0RECENT", None));
        Assert.True(MessageStatusRules.IsSettled(MessageStatus.Delivered) && !MessageStatusRules.IsSettled(MessageStatus.Sent));

        // A pruned record's idempotency key is free again; an in-flight record's is not.
        Assert.Null(await stores.Messages.GetByIdempotencyKeyAsync("key-Read", None));
        await stores.Messages.PutAsync([Outbound("3EB0NEW", "key-Read")], None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => stores.Messages.PutAsync([Outbound("3EB0OTHER", "key-Sent")], None));
    });

    [Fact]
    public Task Prune_with_min_value_cutoffs_keeps_everything() => RunAsync(async stores =>
    {
        var seq = await stores.Outbox.AppendAsync([Event("e1"), Event("e2")], None);
        await stores.Outbox.MarkDeliveredAsync([seq[0]], T0, 200, None);
        await stores.Outbox.DeadLetterAsync([seq[1]], T0, "HTTP 410", None);
        await stores.Messages.PutAsync([Outbound("3EB0A", status: MessageStatus.Read)], None);

        Assert.Equal(0, await stores.Outbox.PruneAsync(new OutboxRetention(DateTimeOffset.MinValue, DateTimeOffset.MinValue), 10, None));
        Assert.Equal(0, await stores.Messages.PruneAsync(DateTimeOffset.MinValue, 10, None));
        Assert.NotNull(await stores.Outbox.GetAsync(seq[0], None));
        Assert.NotNull(await stores.Messages.GetByIdAsync("3EB0A", None));
    });
}
