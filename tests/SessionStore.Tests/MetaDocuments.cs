using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using LiteDB;

namespace Gateway.SessionStore.Tests;

/// <summary>Small numbered documents in the meta collection, written and read past the stores (write-session tests).</summary>
internal static class MetaDocuments
{
    public static BsonDocument Doc(string id, int value) => new() { ["_id"] = id, ["v"] = value };

    /// <summary>Commits what <paramref name="write"/> buffers in one write session of its own.</summary>
    public static void Commit(TenantStore store, Action<WriteSession> write)
    {
        var session = new WriteSession(store.Engine);
        write(session);
        session.Commit();
    }

    /// <summary>The committed value of a document (through the engine's reads, as the stores read).</summary>
    public static int Value(TenantStore store, string id) => store.Engine.Read(s => s.Get(Collections.Meta, id))!["v"].AsInt32;

    public static bool Exists(TenantStore store, string id) => store.Engine.Read(s => s.Get(Collections.Meta, id)) is not null;
}
