using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Schema;

namespace Gateway.SessionStore.Tests;

/// <summary>
/// Files written by older schema versions open, migrate and still hold what was written: a version 1 file of the
/// LiteDB version (see CrashWriter FixtureContent at c2bebb2) is converted at open; SQLite files migrate in steps.
/// </summary>
public sealed class SchemaFixtureTests : IDisposable
{
    private readonly TempSessions _sessions = new();

    public void Dispose() => _sessions.Dispose();

    [Fact]
    public async Task A_version_1_LiteDB_file_is_converted_to_the_current_schema_and_keeps_its_data()
    {
        Directory.CreateDirectory(Path.Combine(_sessions.PathName, "v1"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "schema-v1.db"), _sessions.DatabaseOf("v1"));

        using var store = TenantStore.Open(_sessions.PathName, "v1");

        // The conversion writes the current schema, so the open finds that; the LiteDB file is kept beside it.
        Assert.Equal(SchemaMigrations.CurrentVersion, store.FoundSchemaVersion);
        Assert.True(File.Exists(Path.Combine(_sessions.PathName, "v1", "session.litedb.bak")));
        Assert.Equal("SQLite format 3\0"u8.ToArray(), File.ReadAllBytes(_sessions.DatabaseOf("v1"))[..16]);
        Assert.Equal(SchemaMigrations.CurrentVersion, store.SchemaVersion);
        var creds = await store.Credentials.LoadAsync(CancellationToken.None);
        Assert.Equal(("4915100000001:3@s.whatsapp.net", "100000000000001:3@lid", 12345, 813), (creds!.MePn, creds.MeLid, creds.RegistrationId, creds.NextPreKeyId));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (byte)(7 + i)), creds.SignedPreKeySignature);
        Assert.Equal("100000000000002", (await store.LidMap.GetLidsForPnsAsync(["4915100000002"], CancellationToken.None))["4915100000002"]);
        Assert.Equal([0, 5], (await store.DeviceLists.GetAsync(["4915100000002@s.whatsapp.net"], CancellationToken.None))["4915100000002@s.whatsapp.net"].DeviceIds);
        Assert.Equal("3EB0FIXTURE1", (await store.Messages.GetByIdempotencyKeyAsync("fixture-key-1", CancellationToken.None))?.Id);
        Assert.Equal(["evt-fixture-2"], (await store.Outbox.ReadPendingAsync(10, CancellationToken.None)).Select(e => e.EventId));
        Assert.Single(await store.Outbox.ReadDeliveryLogAsync(null, 10, CancellationToken.None));
        // Signal state (version 2 of the LiteDB schema, absent here) works on the converted file; the identity comes from the v1 credentials.
        var identity = await store.Signal.Identities.GetIdentityKeyPairAsync(CancellationToken.None);
        Assert.Equal(creds.IdentityPublicKey, identity.PublicKey);
        await store.Signal.Sessions.StoreSessionAsync(new("111_1", 1), new WebProtocol.Signal.SessionRecord(), CancellationToken.None);

        // Retention covers the converted records, which version 1 wrote without any retention key: the delivered
        // fixture event (finished 03:04:08) and its log entry go, the pending one stays; the delivered message
        // record (updated 03:04:07) goes with its idempotency key.
        var fixtureTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var retention = new OutboxRetention(fixtureTime.AddSeconds(3), fixtureTime.AddSeconds(3));
        Assert.Equal(0, await store.Outbox.PruneAsync(retention, 10, CancellationToken.None));
        Assert.Equal(0, await store.Messages.PruneAsync(fixtureTime.AddSeconds(2), 10, CancellationToken.None));
        retention = new OutboxRetention(fixtureTime.AddDays(8), fixtureTime.AddDays(30));
        Assert.Equal(2, await store.Outbox.PruneAsync(retention, 10, CancellationToken.None));
        Assert.Equal(1, await store.Messages.PruneAsync(fixtureTime.AddDays(30), 10, CancellationToken.None));
        Assert.Equal(["evt-fixture-2"], (await store.Outbox.ReadPendingAsync(10, CancellationToken.None)).Select(e => e.EventId));
        Assert.Empty(await store.Outbox.ReadDeliveryLogAsync(null, 10, CancellationToken.None));
        Assert.Null(await store.Messages.GetByIdempotencyKeyAsync("fixture-key-1", CancellationToken.None));
    }

    [Fact]
    public void Migrations_run_in_order_once_each_and_a_failing_step_keeps_the_last_good_version()
    {
        var steps = new List<Migration>
        {
            new(1, "one", "CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB); CREATE TABLE applied (step INTEGER)"),
            new(2, "two", "INSERT INTO applied VALUES (2)"),
        };
        TenantStore.Open(_sessions.PathName, "m", new TenantStoreOptions(), steps).Dispose();
        using (var store = TenantStore.Open(_sessions.PathName, "m", new TenantStoreOptions(), steps))
        {
            Assert.Equal(1L, store.Read(connection => connection.Scalar("SELECT count(*) FROM applied")));
        }

        steps.Add(new(3, "broken", "INSERT INTO applied VALUES (3); SELECT * FROM no_such_table"));
        Assert.ThrowsAny<Exception>(() => TenantStore.Open(_sessions.PathName, "m", new TenantStoreOptions(), steps));
        using var reopened = TenantStore.Open(_sessions.PathName, "m", new TenantStoreOptions(), steps.Take(2).ToList());
        Assert.Equal(2, reopened.SchemaVersion);
        Assert.Equal(1L, reopened.Read(connection => connection.Scalar("SELECT count(*) FROM applied")));
    }
}
