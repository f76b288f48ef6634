using Gateway.SessionStore.Abstractions;
using LiteDB;

namespace Gateway.SessionStore.Tests;

/// <summary>
/// Writers that queue behind one another share one commit, each still sees the writes before it, a failing writer
/// loses only its own writes, and a writer that goes asynchronous releases the finished ones first. A unit of work
/// parked on a task holds the queue, so what queues behind it is known exactly.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempSessions _sessions = new();

    public void Dispose() => _sessions.Dispose();

    [Fact]
    public async Task Writers_queued_behind_a_unit_of_work_commit_with_it_in_one_transaction()
    {
        using var store = Open();
        var release = new TaskCompletionSource();
        var holder = store.RunInTransactionAsync(async (stores, ct) =>
        {
            await stores.Messages.PutAsync([Record("held")], ct);
            await release.Task;
        }, None);
        var before = store.Engine.Commits;

        var queued = Enumerable.Range(0, 10).Select(i => store.Messages.PutAsync([Record($"m-{i}")], None)).ToArray();
        Assert.All(queued, task => Assert.False(task.IsCompleted));
        release.SetResult();
        await holder;
        await Task.WhenAll(queued);

        Assert.Equal(before + 1, store.Engine.Commits);
        foreach (var id in Enumerable.Range(0, 10).Select(i => $"m-{i}").Append("held"))
        {
            Assert.NotNull(await store.Messages.GetByIdAsync(id, None));
        }
    }

    [Fact]
    public async Task Each_writer_of_a_batch_reads_the_writes_before_it()
    {
        using var store = Open();
        var release = new TaskCompletionSource();
        var holder = store.RunInTransactionAsync(async (stores, ct) =>
        {
            await stores.Outbox.AppendAsync([new NewOutboxEvent("e-held", "message", [1], DateTimeOffset.UnixEpoch)], ct);
            await release.Task;
        }, None);
        var appends = Enumerable.Range(0, 12)
            .Select(i => store.Outbox.AppendAsync([new NewOutboxEvent($"e-{i}", "message", [2], DateTimeOffset.UnixEpoch)], None))
            .Append(store.Outbox.AppendAsync([new NewOutboxEvent("e-3", "message", [3], DateTimeOffset.UnixEpoch)], None))
            .ToArray();
        release.SetResult();
        await holder;
        var sequences = (await Task.WhenAll(appends)).Select(s => Assert.Single(s)).ToArray();

        // Sequences come from a counter document the batch's writers all advance (in whatever order they got their
        // turn), and the repeated id finds the uncommitted event of whichever writer came first.
        Assert.Equal(Enumerable.Range(2, 12).Select(n => (long)n), sequences[..12].Order());
        Assert.Equal(sequences[3], sequences[12]);
        var pending = await store.Outbox.ReadPendingAsync(100, None);
        Assert.Equal(13, pending.Count);
        Assert.Equal("e-held", pending[0].EventId);
    }

    [Fact]
    public async Task A_failing_writer_loses_only_its_own_writes()
    {
        using var store = Open();
        var release = new TaskCompletionSource();
        var holder = store.RunInTransactionAsync(async (stores, ct) => await release.Task, None);
        var first = store.Messages.PutAsync([Record("first")], None);
        var failing = store.WriteAsync<int>(session =>
        {
            session.Upsert("messages", new BsonDocument { ["_id"] = "ghost" });
            throw new InvalidOperationException("refused");
        }, None);
        var failingUnit = store.RunInTransactionAsync(async (stores, ct) =>
        {
            await stores.Messages.PutAsync([Record("ghost-2")], ct);
            throw new InvalidOperationException("refused too");
        }, None);
        var last = store.Messages.PutAsync([Record("last")], None);
        release.SetResult();
        await holder;

        await first;
        await last;
        Assert.Equal("refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        Assert.Equal("refused too", (await Assert.ThrowsAsync<InvalidOperationException>(() => failingUnit)).Message);
        Assert.NotNull(await store.Messages.GetByIdAsync("first", None));
        Assert.NotNull(await store.Messages.GetByIdAsync("last", None));
        Assert.Null(await store.Messages.GetByIdAsync("ghost-2", None));
        Assert.Null(store.Read(session => session.Get("messages", "ghost")));
    }

    [Fact]
    public async Task A_writer_that_goes_asynchronous_first_commits_the_finished_writers_before_it()
    {
        using var store = Open();
        var release = new TaskCompletionSource();
        var network = new TaskCompletionSource();
        var holder = store.RunInTransactionAsync(async (stores, ct) =>
        {
            await stores.Messages.PutAsync([Record("held")], ct);
            await release.Task;
        }, None);
        var write = store.Messages.PutAsync([Record("queued")], None);
        var slow = store.RunInTransactionAsync(async (stores, ct) =>
        {
            // Starts from the pending writes, then waits on something outside the store.
            Assert.NotNull(await stores.Messages.GetByIdAsync("queued", ct));
            await network.Task;
            await stores.Messages.PutAsync([Record("slow")], ct);
        }, None);

        release.SetResult();
        await holder.WaitAsync(TimeSpan.FromSeconds(30));
        await write.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(slow.IsCompleted);
        Assert.NotNull(await store.Messages.GetByIdAsync("queued", None));

        network.SetResult();
        await slow;
        Assert.NotNull(await store.Messages.GetByIdAsync("slow", None));
    }

    [Fact]
    public async Task Pending_writes_are_committed_before_the_store_closes_and_survive_a_reopen()
    {
        var store = Open();
        var release = new TaskCompletionSource();
        var holder = store.RunInTransactionAsync(async (stores, ct) => await release.Task, None);
        var queued = Enumerable.Range(0, 5).Select(i => store.Messages.PutAsync([Record($"m-{i}")], None)).ToArray();
        release.SetResult();
        await holder;
        await Task.WhenAll(queued);
        store.Dispose();

        using var reopened = Open();
        foreach (var i in Enumerable.Range(0, 5))
        {
            Assert.NotNull(await reopened.Messages.GetByIdAsync($"m-{i}", None));
        }
    }

    private TenantStore Open() => TenantStore.Open(_sessions.PathName, "t", new TenantStoreOptions { IdleClose = null });

    private static MessageRecord Record(string id) => new()
    {
        Id = id,
        Direction = MessageDirection.Outbound,
        Chat = "c@s.whatsapp.net",
        Status = MessageStatus.Queued,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
