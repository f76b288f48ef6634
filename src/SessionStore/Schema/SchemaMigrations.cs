using LiteDB;

namespace Gateway.SessionStore.Schema;

/// <summary>The numbered schema steps of a tenant file (LiteDB UserVersion) and the runner that applies them.</summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "credentials, LID map, device lists, message records, webhook outbox and delivery log", V1),
        new(2, "Signal state: identities, prekeys, signed prekeys, sessions, sender keys", V2),
        new(3, "message records found by the provider's message id", V3),
        new(4, "the webhook outbox's pending queue, read in delivery order without sorting the backlog", V4),
        new(5, "retention: old delivered events, dead letters and settled message records found by index", V5),
    ];

    public static int CurrentVersion => All[^1].Version;

    /// <summary>Brings the file to the newest version in <paramref name="migrations"/>; returns the version found.</summary>
    public static int Upgrade(LiteDatabase database, string tenantId, IReadOnlyList<Migration> migrations)
    {
        var found = database.UserVersion;
        var target = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (found > target)
        {
            throw new TenantStoreVersionException(tenantId, found, target);
        }
        foreach (var migration in migrations.Where(m => m.Version > found).OrderBy(m => m.Version))
        {
            if (!database.BeginTrans())
            {
                throw new InvalidOperationException("A LiteDB transaction is already open on this thread.");
            }
            try
            {
                migration.Apply(database);
                database.Commit();
            }
            catch
            {
                database.Rollback();
                throw;
            }
            database.UserVersion = migration.Version;
        }
        return found;
    }

    private static void V1(LiteDatabase database)
    {
        database.GetCollection(Collections.LidMap).EnsureIndex("pn", "$.pn");
        database.GetCollection(Collections.Messages).EnsureIndex("ikey", "$.ikey");
        var outbox = database.GetCollection(Collections.Outbox);
        outbox.EnsureIndex("eid", "$.eid");
        outbox.EnsureIndex("state", "$.state");
        database.GetCollection(Collections.DeliveryLog).EnsureIndex("seq", "$.seq");
    }

    private static void V3(LiteDatabase database) =>
        database.GetCollection(Collections.Messages).EnsureIndex("pid", "$.pid");

    private static void V4(LiteDatabase database)
    {
        var outbox = database.GetCollection(Collections.Outbox);
        // State 1 is pending (OutboxEventState.Pending, written as its number since version 1).
        foreach (var pending in outbox.Find(Query.EQ("state", 1)).ToList())
        {
            pending["pq"] = pending["_id"];
            outbox.Update(pending);
        }
        outbox.EnsureIndex("pq", "$.pq");
    }

    // Expression indexes over fields every document already has, so no document is rewritten: a file that grew for
    // months migrates by building three indexes, not by one transaction rewriting every event. The texts are the
    // stores' query keys (OutboxDocuments.DeliveredKey, DeadLetteredKey, LiteMessageRecordStore.SettledKey) and
    // must stay equal to them: LiteDB picks an index by its expression text. State 2 is delivered, 3 dead-lettered;
    // message status 3 and above (delivered, read, failed, received) is settled.
    private static void V5(LiteDatabase database)
    {
        var outbox = database.GetCollection(Collections.Outbox);
        outbox.EnsureIndex("delivered", "IIF($.state = 2, $.finishedAt, null)");
        outbox.EnsureIndex("deadlettered", "IIF($.state = 3, $.finishedAt, null)");
        database.GetCollection(Collections.Messages).EnsureIndex("settled", "IIF($.status >= 3, $.updatedAt, null)");
    }

    private static void V2(LiteDatabase database)
    {
        database.GetCollection(Collections.Sessions).EnsureIndex("name", "$.name");
        database.GetCollection(Collections.SenderKeys).EnsureIndex("group", "$.group");
    }
}
