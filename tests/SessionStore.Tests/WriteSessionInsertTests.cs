using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;

using static Gateway.SessionStore.Tests.MetaDocuments;

namespace Gateway.SessionStore.Tests;

/// <summary>
/// A write session commits a document declared new (Insert) without an upsert's lookup; that must never turn into
/// overwriting an existing document, nor stay an insert once the change it belonged to was rolled back.
/// </summary>
public sealed class WriteSessionInsertTests : IDisposable
{
    private readonly TempSessions _sessions = new();

    public void Dispose() => _sessions.Dispose();

    [Fact]
    public void An_inserted_document_is_committed_and_read_back()
    {
        using var store = Open();
        var session = new WriteSession(store.Engine);
        session.Insert(Collections.Meta, Doc("a", 1));
        Assert.Equal(1, session.Get(Collections.Meta, "a")!["v"].AsInt32); // the session sees its own insert

        session.Commit();

        Assert.Equal(1, Value(store, "a"));
    }

    [Fact]
    public void Inserting_an_id_that_exists_fails_the_commit_and_keeps_nothing_of_it()
    {
        using var store = Open();
        Commit(store, session => session.Upsert(Collections.Meta, Doc("a", 1)));

        var session = new WriteSession(store.Engine);
        session.Upsert(Collections.Meta, Doc("b", 2));
        session.Insert(Collections.Meta, Doc("a", 3));

        Assert.ThrowsAny<Exception>(session.Commit);
        Assert.Equal(1, Value(store, "a"));
        Assert.False(Exists(store, "b"));
    }

    [Fact]
    public void An_insert_rolled_back_to_a_savepoint_does_not_make_a_later_upsert_an_insert()
    {
        using var store = Open();
        Commit(store, session => session.Upsert(Collections.Meta, Doc("a", 1)));

        var session = new WriteSession(store.Engine);
        var savepoint = session.Savepoint();
        session.Insert(Collections.Meta, Doc("a", 2)); // a caller's mistake, undone with its step
        session.RollbackTo(savepoint);
        session.Upsert(Collections.Meta, Doc("a", 3));
        session.Commit();

        Assert.Equal(3, Value(store, "a"));
    }

    [Fact]
    public void A_document_inserted_and_then_deleted_in_one_session_is_not_committed()
    {
        using var store = Open();
        var session = new WriteSession(store.Engine);
        session.Insert(Collections.Meta, Doc("a", 1));
        session.Delete(Collections.Meta, "a");
        session.Upsert(Collections.Meta, Doc("b", 2));

        session.Commit();

        Assert.False(Exists(store, "a"));
        Assert.Equal(2, Value(store, "b"));
    }

    private TenantStore Open() => TenantStore.Open(_sessions.PathName, "t", new TenantStoreOptions { IdleClose = null });
}
