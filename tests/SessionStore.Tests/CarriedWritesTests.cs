using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using LiteDB;

namespace Gateway.SessionStore.Tests;

/// <summary>
/// A delivery record may wait for the tenant's next commit and ride on it; it commits alone only when its deadline
/// passes, when the outbox is flushed, or when the store closes. Deadlines run on a manual clock.
/// </summary>
public sealed class CarriedWritesTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Within = TimeSpan.FromMilliseconds(100);
    private readonly TempSessions _sessions = new();
    private readonly ManualTimeProvider _clock = new();

    public void Dispose() => _sessions.Dispose();

    [Fact]
    public async Task A_delivery_record_rides_on_the_next_commit_instead_of_its_own()
    {
        using var store = Open();
        var sequence = await AppendAsync(store, "e-1");
        var commits = store.Commits;

        var recorded = store.Outbox.MarkDeliveredSoonAsync([sequence], DateTimeOffset.UnixEpoch, 200, Within, None);
        Assert.False(recorded.IsCompleted);
        Assert.Single(await store.Outbox.ReadPendingAsync(10, None)); // not committed yet: still pending

        await store.Messages.PutAsync([Record("m-1")], None);
        await recorded;
        Assert.Equal(commits + 1, store.Commits);
        Assert.Empty(await store.Outbox.ReadPendingAsync(10, None));
        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(await store.Outbox.ReadDeliveryLogAsync(sequence, 10, None)).Outcome);
    }

    [Fact]
    public async Task A_unit_of_work_that_writes_nothing_does_not_commit_for_it_and_the_deadline_does()
    {
        using var store = Open();
        var sequence = await AppendAsync(store, "e-1");
        var commits = store.Commits;
        var recorded = store.Outbox.MarkDeliveredSoonAsync([sequence], DateTimeOffset.UnixEpoch, 200, Within, None);

        await store.RunInTransactionAsync(async (stores, ct) => await stores.Messages.GetByIdAsync("nothing", ct), None);
        Assert.Equal(commits, store.Commits);
        Assert.False(recorded.IsCompleted);

        // The deadline's timer starts on another thread: advance until it has fired.
        while (!recorded.IsCompleted)
        {
            _clock.Advance(Within);
            await Task.WhenAny(recorded, Task.Delay(10));
        }

        await recorded;
        Assert.Equal(commits + 1, store.Commits);
        Assert.Empty(await store.Outbox.ReadPendingAsync(10, None));
    }

    [Fact]
    public async Task Flush_commits_waiting_records_now_and_closing_the_store_commits_the_rest()
    {
        long second;
        using (var store = Open())
        {
            var first = await AppendAsync(store, "e-1");
            second = await AppendAsync(store, "e-2");
            var recorded = store.Outbox.MarkDeliveredSoonAsync([first], DateTimeOffset.UnixEpoch, 200, Within, None);
            await store.Outbox.FlushAsync(None);
            Assert.True(recorded.IsCompletedSuccessfully);
            Assert.Equal([second], (await store.Outbox.ReadPendingAsync(10, None)).Select(e => e.Sequence));

            _ = store.Outbox.MarkDeliveredSoonAsync([second], DateTimeOffset.UnixEpoch, 200, Within, None);
        }

        using (var reopened = Open())
        {
            Assert.Empty(await reopened.Outbox.ReadPendingAsync(10, None));
            Assert.Equal(OutboxEventState.Delivered, (await reopened.Outbox.GetAsync(second, None))!.State);
        }
    }

    [Fact]
    public async Task A_record_handed_over_after_the_store_closed_fails_at_once()
    {
        var store = Open();
        var sequence = await AppendAsync(store, "e-1");
        store.Dispose();

        var recorded = store.Outbox.MarkDeliveredSoonAsync([sequence], DateTimeOffset.UnixEpoch, 200, Within, None);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => recorded);
    }

    [Fact]
    public async Task A_carried_write_that_throws_is_undone_alone_and_the_others_commit()
    {
        using var store = Open();
        var carried = new CarriedWrites(_ => Task.CompletedTask, _clock);
        var kept = carried.Add(session => session.Upsert(Collections.Meta, new BsonDocument { ["_id"] = "kept", ["v"] = 1 }), Within);
        var failed = carried.Add(session =>
        {
            session.Upsert(Collections.Meta, new BsonDocument { ["_id"] = "undone", ["v"] = 1 });
            throw new InvalidOperationException("refused");
        }, Within);

        var session = new WriteSession(store.Engine);
        var applied = carried.ApplyTo(session);
        Assert.Null(session.Get(Collections.Meta, "undone"));
        Assert.NotNull(session.Get(Collections.Meta, "kept"));
        Assert.Equal("refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => failed)).Message);
        Assert.False(kept.IsCompleted); // settled by the commit, not before

        CarriedWrites.Settle(applied, null);
        await kept;
        Assert.True(carried.IsEmpty);
    }

    private TenantStore Open() => TenantStore.Open(_sessions.PathName, "t", new TenantStoreOptions { TimeProvider = _clock });

    private static async Task<long> AppendAsync(TenantStore store, string eventId) =>
        (await store.Outbox.AppendAsync([new NewOutboxEvent(eventId, "message", new byte[16], DateTimeOffset.UnixEpoch)], None))[0];

    private static MessageRecord Record(string id) => new()
    {
        Id = id, Direction = MessageDirection.Inbound, Chat = "c@s.whatsapp.net", Status = MessageStatus.Received,
        CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
