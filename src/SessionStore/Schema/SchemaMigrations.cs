using Gateway.SessionStore.LiteStores;
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

    // Retention keys: outbox events that left the queue and settled message records get the key their stores now
    // write (OutboxDocuments.Retention, LiteMessageRecordStore's SettledKey), each by one plain index. The outbox's
    // state index goes: dead letters are found by the retention key now, and nothing else looked events up by state.
    // Existing documents are rewritten once here; before this version nothing was ever pruned, so that is every
    // finished event and settled record the file holds.
    private static void V5(LiteDatabase database)
    {
        var outbox = database.GetCollection(Collections.Outbox);
        // States 2 and 3 are delivered and dead-lettered (OutboxEventState, written as numbers since version 1).
        foreach (var finished in outbox.Find(Query.GT("state", 1)).ToList())
        {
            finished[OutboxDocuments.RetentionKey] = OutboxDocuments.Retention(OutboxDocuments.FromDocument(finished));
            outbox.Update(finished);
        }
        outbox.DropIndex("state");
        outbox.EnsureIndex(OutboxDocuments.RetentionKey, "$." + OutboxDocuments.RetentionKey);

        var messages = database.GetCollection(Collections.Messages);
        // Status 3 and above (delivered, read, failed, received) is settled (MessageStatusRules.IsSettled).
        foreach (var settled in messages.Find(Query.GTE("status", 3)).ToList())
        {
            settled[LiteMessageRecordStore.SettledKey] = settled["updatedAt"];
            messages.Update(settled);
        }
        messages.EnsureIndex(LiteMessageRecordStore.SettledKey, "$." + LiteMessageRecordStore.SettledKey);
    }

    private static void V2(LiteDatabase database)
    {
        database.GetCollection(Collections.Sessions).EnsureIndex("name", "$.name");
        database.GetCollection(Collections.SenderKeys).EnsureIndex("group", "$.group");
    }
}
