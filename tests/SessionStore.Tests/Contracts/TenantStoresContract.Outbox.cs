using Gateway.SessionStore.Abstractions;

namespace Gateway.SessionStore.Tests.Contracts;

public abstract partial class TenantStoresContract
{
    private static NewOutboxEvent Event(string id, int second = 0) => new(id, "message", [1, 2, (byte)second], T0.AddSeconds(second));

    [Fact]
    public Task Outbox_appends_in_order_and_a_known_event_id_keeps_its_sequence() => RunAsync(async stores =>
    {
        var first = await stores.Outbox.AppendAsync([Event("e1"), Event("e2", 1)], None);
        var second = await stores.Outbox.AppendAsync([Event("e3", 2), Event("e1")], None);

        Assert.True(first[0] < first[1] && first[1] < second[0]);
        Assert.Equal(first[0], second[1]);
        var pending = await stores.Outbox.ReadPendingAsync(10, None);
        Assert.Equal(["e1", "e2", "e3"], pending.Select(e => e.EventId));
        Assert.Equal(["e1", "e2"], (await stores.Outbox.ReadPendingAsync(2, None)).Select(e => e.EventId));
        var e2 = pending[1];
        Assert.Equal((OutboxEventState.Pending, 0, T0.AddSeconds(1), "message"), (e2.State, e2.Attempts, e2.NextAttemptAt, e2.EventType));
        Assert.Equal(new byte[] { 1, 2, 1 }, e2.Payload);
    });

    [Fact]
    public Task Outbox_delivery_failure_dead_letter_and_requeue_are_logged() => RunAsync(async stores =>
    {
        var seq = await stores.Outbox.AppendAsync([Event("e1"), Event("e2"), Event("e3")], None);

        Assert.Equal(1, await stores.Outbox.RecordFailuresAsync([new(seq[0], T0.AddSeconds(1), T0.AddSeconds(31), 503, "http 503")], None));
        Assert.Equal(1, await stores.Outbox.MarkDeliveredAsync([seq[0], seq[0]], T0.AddSeconds(40), 200, None));
        Assert.Equal(1, await stores.Outbox.DeadLetterAsync([seq[1]], T0.AddSeconds(50), "retry budget spent", None));
        // Not pending any more: ignored.
        Assert.Equal(0, await stores.Outbox.MarkDeliveredAsync([seq[1]], T0.AddSeconds(51), 200, None));
        Assert.Equal(0, await stores.Outbox.RecordFailuresAsync([new(seq[0], T0, T0, null, "late")], None));

        Assert.Equal(["e3"], (await stores.Outbox.ReadPendingAsync(10, None)).Select(e => e.EventId));
        var delivered = await stores.Outbox.GetAsync(seq[0], None);
        Assert.Equal((OutboxEventState.Delivered, 2, T0.AddSeconds(40), "http 503"), (delivered!.State, delivered.Attempts, delivered.FinishedAt, delivered.LastError));
        Assert.Equal(["e2"], (await stores.Outbox.ReadDeadLettersAsync(10, None)).Select(e => e.EventId));

        Assert.True(await stores.Outbox.RequeueAsync(seq[1], T0.AddSeconds(60), None));
        Assert.False(await stores.Outbox.RequeueAsync(seq[2], T0.AddSeconds(60), None));
        Assert.Equal(["e2", "e3"], (await stores.Outbox.ReadPendingAsync(10, None)).Select(e => e.EventId));
        Assert.Empty(await stores.Outbox.ReadDeadLettersAsync(10, None));

        var log = await stores.Outbox.ReadDeliveryLogAsync(null, 10, None);
        Assert.Equal(
            [DeliveryOutcome.Requeued, DeliveryOutcome.DeadLettered, DeliveryOutcome.Delivered, DeliveryOutcome.Failed],
            log.Select(entry => entry.Outcome));
        Assert.Equal(new DeliveryLogEntry(seq[0], "e1", T0.AddSeconds(1), DeliveryOutcome.Failed, 503, "http 503"), log[3]);
        var forFirst = await stores.Outbox.ReadDeliveryLogAsync(seq[0], 1, None);
        Assert.Equal([DeliveryOutcome.Delivered], forFirst.Select(entry => entry.Outcome));
    });

    [Fact]
    public Task Outbox_clips_long_errors() => RunAsync(async stores =>
    {
        var seq = await stores.Outbox.AppendAsync([Event("e1")], None);
        await stores.Outbox.RecordFailuresAsync([new(seq[0], T0, T0, null, new string('x', 5000))], None);
        Assert.Equal(OutboxRules.MaxErrorLength, (await stores.Outbox.GetAsync(seq[0], None))!.LastError!.Length);
    });
}
