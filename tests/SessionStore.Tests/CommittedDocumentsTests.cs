using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;

using static Gateway.SessionStore.Tests.MetaDocuments;

namespace Gateway.SessionStore.Tests;

/// <summary>
/// Reads by _id are answered from the last committed versions the engine remembers (<see cref="CommittedDocuments"/>):
/// they must always be what the file holds, whatever commits, fails, closes or is deleted in between.
/// </summary>
public sealed class CommittedDocumentsTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempSessions _sessions = new();

    public void Dispose() => _sessions.Dispose();

    [Fact]
    public void The_least_recently_used_document_goes_first_when_the_cache_is_full()
    {
        var cache = new CommittedDocuments(capacity: 2);
        cache.Set("c", "a", Doc("a", 1));
        cache.Set("c", "b", Doc("b", 1));
        Assert.True(cache.TryGet("c", "a", out _)); // a is now the most recent
        cache.Set("c", "d", null); // known absent counts as an entry

        Assert.True(cache.TryGet("c", "a", out var a));
        Assert.Equal(1, a!["v"].AsInt32);
        Assert.False(cache.TryGet("c", "b", out _));
        Assert.True(cache.TryGet("c", "d", out var absent));
        Assert.Null(absent);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Setting_a_remembered_document_again_replaces_it_without_growing()
    {
        var cache = new CommittedDocuments(capacity: 2);
        cache.Set("c", "a", Doc("a", 1));
        cache.Set("c", "a", Doc("a", 2));
        cache.Set("other", "a", Doc("a", 3)); // another collection, another entry

        Assert.True(cache.TryGet("c", "a", out var a));
        Assert.Equal(2, a!["v"].AsInt32);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task A_read_after_a_commit_sees_the_committed_version_and_a_deleted_document_is_gone()
    {
        using var store = Open();
        await store.Messages.PutAsync([Record("m1", MessageStatus.Queued)], None);
        Assert.Equal(MessageStatus.Queued, (await store.Messages.GetByIdAsync("m1", None))!.Status); // remembered now

        await store.RunInTransactionAsync((stores, ct) => stores.Messages.UpdateStatusAsync([new MessageStatusUpdate("m1", MessageStatus.Sent, DateTimeOffset.UnixEpoch, null)], ct), None);
        Assert.Equal(MessageStatus.Sent, (await store.Messages.GetByIdAsync("m1", None))!.Status);

        Commit(store, session => session.Delete(Collections.Messages, "m1"));
        Assert.Null(await store.Messages.GetByIdAsync("m1", None));
    }

    [Fact]
    public void A_failed_commit_leaves_reads_on_what_the_file_holds()
    {
        using var store = Open();
        Commit(store, session => session.Upsert(Collections.Meta, Doc("a", 1)));
        Commit(store, session => session.Upsert(Collections.Meta, Doc("b", 1)));
        Assert.Equal(1, Value(store, "a"));

        var failing = new WriteSession(store.Engine);
        failing.Upsert(Collections.Meta, Doc("a", 2));
        failing.Insert(Collections.Meta, Doc("b", 2)); // exists: the whole commit fails
        Assert.ThrowsAny<Exception>(failing.Commit);

        Assert.Equal(0, store.Engine.RememberedDocuments); // forgotten, so read from the file again
        Assert.Equal(1, Value(store, "a"));
        Assert.Equal(1, Value(store, "b"));
    }

    [Fact]
    public async Task An_engine_closed_while_idle_remembers_nothing_and_reads_the_file_again_after_reopening()
    {
        var clock = new ManualTimeProvider();
        using var store = TenantStore.Open(_sessions.PathName, "t", new TenantStoreOptions { TimeProvider = clock, IdleClose = TimeSpan.FromSeconds(30) });
        await store.Messages.PutAsync([Record("m1", MessageStatus.Queued)], None);
        Assert.True(store.Engine.RememberedDocuments > 0);

        clock.Advance(TimeSpan.FromSeconds(40));
        store.Engine.CloseIfIdle(); // closed here or already by the idle timer the clock just ran
        Assert.False(store.Engine.IsOpen);
        Assert.Equal(0, store.Engine.RememberedDocuments);

        var reads = store.FileReads;
        Assert.Equal(MessageStatus.Queued, (await store.Messages.GetByIdAsync("m1", None))!.Status);
        Assert.Equal(reads + 1, store.FileReads);
    }

    private TenantStore Open() => TenantStore.Open(_sessions.PathName, "t", new TenantStoreOptions { IdleClose = null });

    private static MessageRecord Record(string id, MessageStatus status) => new()
    {
        Id = id, Direction = MessageDirection.Outbound, Chat = "c@s.whatsapp.net", Status = status,
        CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
