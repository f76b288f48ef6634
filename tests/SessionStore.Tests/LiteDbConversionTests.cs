using System.Security.Cryptography;
using System.Text.Json;
using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Schema;
using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Signal;
using static Gateway.SessionStore.Tests.LiteDbFixtures;

namespace Gateway.SessionStore.Tests;

/// <summary>
/// Tenant folders written by the LiteDB version (Fixtures/LiteDb) are converted once, at the first open, and every
/// record their manifest lists reads back through the stores as it was written; the old files stay beside the new
/// one until a later open succeeded. A key that does not fit refuses the open and leaves the old files as they were.
/// </summary>
public sealed class LiteDbConversionTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();
    private readonly TempSessions _sessions = new();

    public void Dispose() => _sessions.Dispose();

    [Theory]
    [InlineData(Plain)]
    [InlineData(Keyed)]
    public async Task Every_record_of_a_LiteDB_tenant_comes_across_and_the_old_file_goes_after_a_second_open(string tenantId)
    {
        var tenant = Tenant(tenantId);
        var folder = CopyTenant(tenantId, _sessions.PathName);
        var options = new TenantStoreOptions { EncryptionKey = StoreKey(tenantId), IdleClose = null };

        using (var store = TenantStore.Open(_sessions.PathName, tenantId, options))
        {
            Assert.Equal(SchemaMigrations.CurrentVersion, store.SchemaVersion);
            Assert.Equal(StoreKey(tenantId) is not null, store.Sealed);
            await AssertCredentialsAsync(store, tenant);
            await AssertSignalAsync(store, tenantId, tenant);
            await AssertLidMapAndDeviceListsAsync(store, tenant);
            await AssertMessagesAsync(store, tenant);
            await AssertOutboxAsync(store, tenant);

            // Sequences continue after the highest the LiteDB version handed out (its meta counters).
            var sequences = tenant.GetProperty("sequences");
            var appended = await store.Outbox.AppendAsync([new NewOutboxEvent("evt_after_upgrade", "message", [1, 2, 3], DateTimeOffset.UtcNow)], None);
            Assert.Equal(sequences.GetProperty("seq.outbox").GetInt64() + 1, Assert.Single(appended));
            Assert.Equal(1, await store.Outbox.MarkDeliveredAsync(appended, DateTimeOffset.UtcNow, 200, None));
            Assert.Equal(sequences.GetProperty("seq.deliverylog").GetInt64() + 1, store.Read(c => (long)c.Scalar("SELECT max(id) FROM delivery_log")!));
        }

        // Closing the file, LiteDB checkpoints its log into it and deletes the log, so the data file alone is kept.
        Assert.True(File.Exists(Path.Combine(folder, "session.litedb.bak")), "the LiteDB file is kept after the converting open");
        Assert.False(File.Exists(Path.Combine(folder, "session-log.db")));
        Assert.Empty(Directory.GetFiles(folder, "*.converting*"));
        Assert.True(IsSqlite(Path.Combine(folder, "session.db")));

        using (var store = TenantStore.Open(_sessions.PathName, tenantId, options))
        {
            Assert.Equal(SchemaMigrations.CurrentVersion, store.FoundSchemaVersion);
            Assert.Equal(tenant.GetProperty("device").GetProperty("pnJid").GetString(), (await store.Credentials.LoadAsync(None))!.MePn);
            Assert.Equal(tenant.GetProperty("counts").GetProperty("deliveryLog").GetInt32() + 1, (await store.Outbox.ReadDeliveryLogAsync(null, 1000, None)).Count);
        }

        Assert.False(File.Exists(Path.Combine(folder, "session.litedb.bak")), "the LiteDB file is deleted once a later open succeeded");
        Assert.False(File.Exists(Path.Combine(folder, "session-log.litedb.bak")));
        Assert.True(IsSqlite(Path.Combine(folder, "session.db")));
    }

    [Theory]
    [InlineData(Keyed, null)]
    [InlineData(Keyed, "not-the-fixture-store-key")]
    [InlineData(Plain, "fixture-store-key-0123456789")]
    public void A_key_that_does_not_fit_refuses_the_open_and_leaves_the_LiteDB_files_untouched(string tenantId, string? key)
    {
        var folder = CopyTenant(tenantId, _sessions.PathName);
        var before = Files(folder);

        Assert.Throws<TenantStoreKeyException>(() => TenantStore.Open(_sessions.PathName, tenantId, new TenantStoreOptions { EncryptionKey = key }));

        // Nothing added beside them (no staging file, no backup), nothing changed in them.
        var after = Files(folder);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed");
        }

        // The right key still converts it.
        using var store = TenantStore.Open(_sessions.PathName, tenantId, new TenantStoreOptions { EncryptionKey = StoreKey(tenantId) });
        Assert.True(IsSqlite(Path.Combine(folder, "session.db")));
    }

    private static async Task AssertCredentialsAsync(TenantStore store, JsonElement tenant)
    {
        var device = tenant.GetProperty("device");
        var signed = device.GetProperty("signedPreKey");
        var creds = await store.Credentials.LoadAsync(None);
        Assert.NotNull(creds);
        Assert.Equal(device.GetProperty("pnJid").GetString(), creds.MePn);
        Assert.Equal(device.GetProperty("lidJid").GetString(), creds.MeLid);
        Assert.Equal(device.GetProperty("registrationId").GetInt32(), creds.RegistrationId);
        Assert.Equal(Bytes(device.GetProperty("noisePublicKey")), creds.NoisePublicKey);
        Assert.Equal(Bytes(device.GetProperty("identityPublicKey")), creds.IdentityPublicKey);
        Assert.Equal(signed.GetProperty("id").GetInt32(), creds.SignedPreKeyId);
        Assert.Equal(Bytes(signed.GetProperty("publicKey")), creds.SignedPreKeyPublic);
        Assert.Equal(Bytes(signed.GetProperty("signature")), creds.SignedPreKeySignature);
        Assert.Equal(Bytes(device.GetProperty("accountIdentity")), creds.AccountIdentity);
        Assert.Equal(device.GetProperty("nextPreKeyId").GetInt32(), creds.NextPreKeyId);
        Assert.Equal(device.GetProperty("firstUnuploadedPreKeyId").GetInt32(), creds.FirstUnuploadedPreKeyId);
        Assert.Equal(device.GetProperty("registered").GetBoolean(), creds.Registered);
        Assert.Equal(device.GetProperty("pushName").GetString(), creds.PushName);
        Assert.Equal(device.GetProperty("platform").GetString(), creds.Platform);
        Assert.Equal(device.GetProperty("hasRoutingInfo").GetBoolean(), creds.RoutingInfo is not null);

        // The manifest does not spell this hash out; it is SHA-256 over the four private fields in their declaration
        // order, concatenated, which reproduces both fixtures' values, so the private halves came across unchanged.
        var secrets = creds.NoisePrivateKey.Concat(creds.IdentityPrivateKey).Concat(creds.SignedPreKeyPrivate).Concat(creds.AdvSecretKey).ToArray();
        Assert.Equal(device.GetProperty("secretFieldsSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(secrets)));

        // The Signal identity is the credentials' (one source of truth).
        Assert.Equal(creds.IdentityPublicKey, (await store.Signal.Identities.GetIdentityKeyPairAsync(None)).PublicKey);
        Assert.Equal((uint)creds.RegistrationId, await store.Signal.Identities.GetLocalRegistrationIdAsync(None));
    }

    private static async Task AssertSignalAsync(TenantStore store, string tenantId, JsonElement tenant)
    {
        var counts = tenant.GetProperty("counts");
        var signal = store.Signal;

        // The other fixture tenant is a peer of this one: its identity and session are the peer's public identity key.
        var peer = Tenant(tenantId == Plain ? Keyed : Plain).GetProperty("device");
        var peerAddress = DeviceAddress(peer.GetProperty("lidJid").GetString()!);
        var peerIdentity = Bytes(peer.GetProperty("identityPublicKey"));

        var identities = Items(tenant, "identityAddresses").Select(a => Address(a.GetString()!)).ToList();
        Assert.Equal(counts.GetProperty("identities").GetInt32(), identities.Count);
        Assert.Contains(peerAddress, identities);
        foreach (var address in identities)
        {
            Assert.NotNull(await signal.Identities.GetIdentityAsync(address, None));
        }

        Assert.Equal(peerIdentity, await signal.Identities.GetIdentityAsync(peerAddress, None));

        var sessions = Items(tenant, "sessionAddresses").Select(a => Address(a.GetString()!)).ToList();
        Assert.Equal(counts.GetProperty("sessions").GetInt32(), sessions.Count);
        Assert.Contains(peerAddress, sessions);
        foreach (var address in sessions)
        {
            var session = await signal.Sessions.LoadSessionAsync(address, None);
            Assert.NotNull(session);
            Assert.True(session.HasOpenSession, $"session {address}");
            Assert.Equal(await signal.Identities.GetIdentityAsync(address, None), session.RemoteIdentityKey);
        }

        Assert.Equal(sessions.Count, (await signal.Sessions.LoadSessionsAsync(sessions, None)).Count);

        // Exactly the listed prekeys: the ones consumed before the file was written stay gone.
        var preKeyIds = Items(tenant, "preKeyIds").Select(id => id.GetUInt32()).ToHashSet();
        Assert.Equal(counts.GetProperty("preKeys").GetInt32(), preKeyIds.Count);
        for (var id = 1u; id <= tenant.GetProperty("device").GetProperty("nextPreKeyId").GetUInt32(); id++)
        {
            var preKey = await signal.PreKeys.LoadPreKeyAsync(id, None);
            Assert.True(preKeyIds.Contains(id) == (preKey is not null), $"prekey {id}");
            Assert.True(preKey is null || preKey.Id == id);
        }

        var device = tenant.GetProperty("device");
        var signedIds = Items(tenant, "signedPreKeyIds").Select(id => id.GetUInt32()).ToList();
        Assert.Equal(counts.GetProperty("signedPreKeys").GetInt32(), signedIds.Count);
        Assert.Equal(signedIds, (await signal.SignedPreKeys.LoadSignedPreKeysAsync(None)).Select(k => k.Id));
        var current = await signal.SignedPreKeys.LoadSignedPreKeyAsync(device.GetProperty("signedPreKey").GetProperty("id").GetUInt32(), None);
        Assert.NotNull(current);
        Assert.Equal(Bytes(device.GetProperty("signedPreKey").GetProperty("publicKey")), current.KeyPair.PublicKey);
        Assert.Equal(Bytes(device.GetProperty("signedPreKey").GetProperty("signature")), current.Signature);

        var senderKeys = Items(tenant, "senderKeys").Select(k => k.GetString()!).ToList();
        Assert.Equal(counts.GetProperty("senderKeys").GetInt32(), senderKeys.Count);
        foreach (var key in senderKeys)
        {
            // "group::name::device" (SenderKeyName.ToString).
            var parts = key.Split("::");
            var name = new SenderKeyName(parts[0], new ProtocolAddress(parts[1], uint.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(key, name.ToString());
            var record = await signal.SenderKeys.LoadSenderKeyAsync(name, None);
            Assert.NotNull(record);
            Assert.False(record.IsEmpty, key);
        }
    }

    private static async Task AssertLidMapAndDeviceListsAsync(TenantStore store, JsonElement tenant)
    {
        var pairs = Items(tenant, "lidMap").Select(p => (Lid: p.GetProperty("lid").GetString()!, Pn: p.GetProperty("pn").GetString()!)).ToList();
        Assert.Equal(tenant.GetProperty("counts").GetProperty("lidMap").GetInt32(), pairs.Count);
        var lids = await store.LidMap.GetLidsForPnsAsync([.. pairs.Select(p => p.Pn)], None);
        var pns = await store.LidMap.GetPnsForLidsAsync([.. pairs.Select(p => p.Lid)], None);
        Assert.Equal(pairs.ToDictionary(p => p.Pn, p => p.Lid), lids);
        Assert.Equal(pairs.ToDictionary(p => p.Lid, p => p.Pn), pns);

        var lists = Items(tenant, "deviceLists").ToList();
        Assert.Equal(tenant.GetProperty("counts").GetProperty("deviceLists").GetInt32(), lists.Count);
        var stored = await store.DeviceLists.GetAsync([.. lists.Select(l => l.GetProperty("user").GetString()!)], None);
        Assert.Equal(lists.Count, stored.Count);
        foreach (var list in lists)
        {
            var entry = stored[list.GetProperty("user").GetString()!];
            Assert.Equal(list.GetProperty("devices").EnumerateArray().Select(d => d.GetInt32()), entry.DeviceIds);
            var fetchedAt = Instant(list.GetProperty("fetchedAt"));
            Assert.Equal((fetchedAt.UtcTicks, TimeSpan.Zero), (entry.FetchedAt.UtcTicks, entry.FetchedAt.Offset));
        }
    }

    private static async Task AssertMessagesAsync(TenantStore store, JsonElement tenant)
    {
        var messages = Items(tenant, "messages").ToList();
        Assert.Equal(tenant.GetProperty("counts").GetProperty("messages").GetInt32(), messages.Count);
        foreach (var message in messages)
        {
            var expected = new MessageRecord
            {
                Id = message.GetProperty("id").GetString()!,
                Direction = Enum.Parse<MessageDirection>(message.GetProperty("direction").GetString()!),
                Chat = message.GetProperty("chat").GetString()!,
                Status = Enum.Parse<MessageStatus>(message.GetProperty("status").GetString()!),
                CreatedAt = Instant(message.GetProperty("createdAt")),
                UpdatedAt = Instant(message.GetProperty("updatedAt")),
                IdempotencyKey = message.GetProperty("idempotencyKey").GetString(),
                FailureReason = message.GetProperty("failureReason").GetString(),
                ProviderMessageId = message.GetProperty("providerMessageId").GetString(),
            };
            var record = await store.Messages.GetByIdAsync(expected.Id, None);
            Assert.Equal(expected, record);
            Assert.Equal((expected.CreatedAt.UtcTicks, expected.UpdatedAt.UtcTicks), (record!.CreatedAt.UtcTicks, record.UpdatedAt.UtcTicks));
            if (expected.IdempotencyKey is { } key)
            {
                Assert.Equal(expected.Id, (await store.Messages.GetByIdempotencyKeyAsync(key, None))?.Id);
            }

            if (expected.ProviderMessageId is { } providerId)
            {
                Assert.Equal(expected.Id, (await store.Messages.GetByProviderMessageIdAsync(providerId, None))?.Id);
            }
        }
    }

    private static async Task AssertOutboxAsync(TenantStore store, JsonElement tenant)
    {
        var events = Items(tenant, "outbox").ToList();
        Assert.Equal(tenant.GetProperty("counts").GetProperty("outbox").GetInt32(), events.Count);
        foreach (var item in events)
        {
            var sequence = item.GetProperty("sequence").GetInt64();
            var stored = await store.Outbox.GetAsync(sequence, None);
            Assert.NotNull(stored);
            Assert.Equal(item.GetProperty("eventId").GetString(), stored.EventId);
            Assert.Equal(item.GetProperty("type").GetString(), stored.EventType);
            Assert.Equal(Enum.Parse<OutboxEventState>(item.GetProperty("state").GetString()!), stored.State);
            Assert.Equal(item.GetProperty("attempts").GetInt32(), stored.Attempts);
            Assert.Equal(Instant(item.GetProperty("createdAt")), stored.CreatedAt);
            Assert.Equal(Instant(item.GetProperty("nextAttemptAt")), stored.NextAttemptAt);
            Assert.Equal(OptionalInstant(item.GetProperty("finishedAt")), stored.FinishedAt);
            Assert.Equal(item.GetProperty("lastError").GetString(), stored.LastError);
            Assert.Equal(item.GetProperty("payloadSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(stored.Payload)));
        }

        long[] InState(string state) => [.. events.Where(e => e.GetProperty("state").GetString() == state).Select(e => e.GetProperty("sequence").GetInt64())];
        Assert.Equal(InState("Pending"), (await store.Outbox.ReadPendingAsync(100, None)).Select(e => e.Sequence));
        Assert.Equal(InState("DeadLettered"), (await store.Outbox.ReadDeadLettersAsync(100, None)).Select(e => e.Sequence));

        // The log reads newest first, which is the order of its ids.
        var log = Items(tenant, "deliveryLog").OrderByDescending(e => e.GetProperty("id").GetInt64()).Select(e => new DeliveryLogEntry(
            e.GetProperty("sequence").GetInt64(),
            e.GetProperty("eventId").GetString()!,
            Instant(e.GetProperty("at")),
            Enum.Parse<DeliveryOutcome>(e.GetProperty("outcome").GetString()!),
            OptionalInt(e.GetProperty("statusCode")),
            e.GetProperty("error").GetString())).ToList();
        Assert.Equal(tenant.GetProperty("counts").GetProperty("deliveryLog").GetInt32(), log.Count);
        Assert.Equal(log, await store.Outbox.ReadDeliveryLogAsync(null, 100, None));
        foreach (var sequence in log.Select(e => e.Sequence).Distinct())
        {
            Assert.Equal(log.Where(e => e.Sequence == sequence), await store.Outbox.ReadDeliveryLogAsync(sequence, 100, None));
        }
    }

    /// <summary>The folder's files by name, but the lock file an open creates.</summary>
    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.GetFiles(folder).Where(f => Path.GetFileName(f) != "session.lock").ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    private static bool IsSqlite(string path)
    {
        var head = new byte[SqliteHeader.Length];
        using var stream = File.OpenRead(path);
        stream.ReadExactly(head);
        return head.AsSpan().SequenceEqual(SqliteHeader);
    }
}
