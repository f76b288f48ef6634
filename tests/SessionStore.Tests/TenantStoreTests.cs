using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Schema;

namespace Gateway.SessionStore.Tests;

public sealed class TenantStoreTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempSessions _sessions = new();

    public void Dispose() => _sessions.Dispose();

    private static MessageRecord Inbound(string id) => new()
    {
        Id = id, Direction = MessageDirection.Inbound, Chat = "4911@s.whatsapp.net", Status = MessageStatus.Received, CreatedAt = T0, UpdatedAt = T0,
    };

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a\\b")]
    [InlineData("")]
    public void Path_tricks_in_the_tenant_id_are_refused(string tenantId)
    {
        Assert.ThrowsAny<ArgumentException>(() => TenantStore.Open(_sessions.PathName, tenantId));
    }

    [Fact]
    public async Task The_store_counts_its_commits_and_reads()
    {
        using var store = TenantStore.Open(_sessions.PathName, "t");
        var (commits, reads) = (store.Commits, store.Reads);

        await store.RunInTransactionAsync((stores, ct) => stores.Messages.PutAsync([Inbound("m1")], ct), None);
        Assert.Equal(commits + 1, store.Commits);
        Assert.NotNull(await store.Messages.GetByIdAsync("m1", None));
        Assert.Null(await store.Messages.GetByIdAsync("m2", None));
        Assert.Equal(reads + 2, store.Reads);
        Assert.Equal(commits + 1, store.Commits);
    }

    [Fact]
    public async Task Saving_an_unchanged_remote_identity_writes_nothing()
    {
        using var store = TenantStore.Open(_sessions.PathName, "t", new TenantStoreOptions { IdleClose = null });
        var alice = new WebProtocol.Signal.ProtocolAddress("111_1", 1);
        var key = Enumerable.Repeat((byte)5, 33).ToArray();
        await store.Signal.Identities.SaveIdentityAsync(alice, key, None);
        var changes = TotalChanges(store);

        Assert.Equal(WebProtocol.Signal.Stores.IdentitySaveResult.NewOrUnchanged, await store.Signal.Identities.SaveIdentityAsync(alice, key, None));
        Assert.Equal(changes, TotalChanges(store));

        // A changed key is written (and reported replaced), so the check is not that nothing is ever written.
        Assert.Equal(WebProtocol.Signal.Stores.IdentitySaveResult.Replaced, await store.Signal.Identities.SaveIdentityAsync(alice, Enumerable.Repeat((byte)6, 33).ToArray(), None));
        Assert.True(TotalChanges(store) > changes);
    }

    [Fact]
    public async Task A_unit_of_work_sees_its_own_writes_and_the_store_sees_them_once_committed()
    {
        using var store = TenantStore.Open(_sessions.PathName, "t");
        var alice = new WebProtocol.Signal.ProtocolAddress("111_1", 1);
        var key = Enumerable.Repeat((byte)5, 33).ToArray();
        await store.Signal.Identities.SaveIdentityAsync(alice, key, None);

        var replaced = Enumerable.Repeat((byte)6, 33).ToArray();
        await store.RunInTransactionAsync(async (stores, ct) =>
        {
            Assert.True(await stores.Signal.Identities.IsTrustedIdentityAsync(alice, key, WebProtocol.Signal.Stores.TrustDirection.Receiving, ct));
            Assert.Equal(WebProtocol.Signal.Stores.IdentitySaveResult.Replaced, await stores.Signal.Identities.SaveIdentityAsync(alice, replaced, ct));
            Assert.Equal(replaced, await stores.Signal.Identities.GetIdentityAsync(alice, ct));
            // Reads of the store itself see committed state only, and do not wait for the unit of work.
            Assert.Equal(key, await store.Signal.Identities.GetIdentityAsync(alice, ct));
        }, None);

        Assert.Equal(replaced, await store.Signal.Identities.GetIdentityAsync(alice, None));
    }

    // SQLite's count of rows the writer connection has changed since it opened.
    private static long TotalChanges(TenantStore store) => store.WriteAsync(connection => (long)connection.Scalar("SELECT total_changes()")!, None).GetAwaiter().GetResult();

    [Fact]
    public void A_second_opener_in_the_same_process_fails_fast_until_the_first_closes()
    {
        var first = TenantStore.Open(_sessions.PathName, "t1");
        var error = Assert.Throws<TenantStoreLockedException>(() => TenantStore.Open(_sessions.PathName, "t1"));
        Assert.Equal("t1", error.TenantId);
        using (TenantStore.Open(_sessions.PathName, "t2"))
        {
            // Another tenant is independent.
        }
        first.Dispose();
        using var again = TenantStore.Open(_sessions.PathName, "t1");
    }

    [Fact]
    public async Task A_second_opener_in_another_process_fails_fast()
    {
        using var holder = ChildProcess.Start("hold", _sessions.PathName, "shared");
        Assert.Equal("open", await holder.StandardOutput.ReadLineAsync());

        Assert.Throws<TenantStoreLockedException>(() => TenantStore.Open(_sessions.PathName, "shared"));

        holder.StandardInput.Close();
        await holder.WaitForExitAsync();
        Assert.Equal(0, holder.ExitCode);
        using var mine = TenantStore.Open(_sessions.PathName, "shared");
    }

    [Fact]
    public async Task A_sealed_store_needs_its_key_and_keeps_no_secret_or_content_in_plain()
    {
        var options = new TenantStoreOptions { EncryptionKey = "correct horse battery staple", IdleClose = null };
        var marker = "PLAINTEXT-MARKER"u8.ToArray();
        byte[] payload = [.. marker, .. "-payload"u8.ToArray()];
        using (var store = TenantStore.Open(_sessions.PathName, "enc", options))
        {
            await store.Outbox.AppendAsync([new NewOutboxEvent("evt-1", "message", payload, T0)], None);
            await store.Signal.PreKeys.StorePreKeysAsync([new WebProtocol.Signal.PreKeyRecord(7, new WebProtocol.Signal.KeyPair([.. marker, .. new byte[16]], [.. marker, .. new byte[16]]))], None);
            await store.Signal.Sessions.StoreSessionAsync(new("111_1", 1), new WebProtocol.Signal.SessionRecord(), None);
            await store.Messages.PutAsync([Inbound("m1")], None);
            // While open, the commits are in the log: it must hold no plain secret either.
            Assert.Equal(-1, ReadShared(_sessions.DatabaseOf("enc") + "-wal").AsSpan().IndexOf(marker));
        }

        Assert.Equal(-1, ReadShared(_sessions.DatabaseOf("enc")).AsSpan().IndexOf(marker));
        Assert.Throws<TenantStoreKeyException>(() => TenantStore.Open(_sessions.PathName, "enc", options with { EncryptionKey = "wrong" }));
        Assert.Throws<TenantStoreKeyException>(() => TenantStore.Open(_sessions.PathName, "enc"));
        using var reopened = TenantStore.Open(_sessions.PathName, "enc", options);
        Assert.Equal(payload, (await reopened.Outbox.GetAsync(1, None))!.Payload);
        Assert.Equal(marker, (await reopened.Signal.PreKeys.LoadPreKeyAsync(7, None))!.KeyPair.PublicKey[..marker.Length]);
    }

    [Fact]
    public async Task A_sealed_value_moved_to_another_row_does_not_open()
    {
        var options = new TenantStoreOptions { EncryptionKey = "k3y", IdleClose = null };
        using (var store = TenantStore.Open(_sessions.PathName, "swap", options))
        {
            await store.Outbox.AppendAsync([new NewOutboxEvent("evt-1", "message", [1], T0), new NewOutboxEvent("evt-2", "message", [2], T0)], None);
            await store.WriteAsync(connection => connection.Execute("UPDATE outbox SET payload = (SELECT payload FROM outbox WHERE sequence = 1) WHERE sequence = 2"), None);
            await Assert.ThrowsAsync<TenantStoreCorruptException>(() => store.Outbox.GetAsync(2, None));
            Assert.Equal([1], (await store.Outbox.GetAsync(1, None))!.Payload);
        }
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    [Fact]
    public void A_plain_store_refuses_a_key_instead_of_being_silently_re_encrypted()
    {
        TenantStore.Open(_sessions.PathName, "plain").Dispose();
        Assert.Throws<TenantStoreKeyException>(() => TenantStore.Open(_sessions.PathName, "plain", new TenantStoreOptions { EncryptionKey = "k" }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("k3y")]
    public async Task A_damaged_file_fails_clearly_and_is_left_untouched(string? key)
    {
        var options = new TenantStoreOptions { EncryptionKey = key };
        using (var store = TenantStore.Open(_sessions.PathName, "dmg", options))
        {
            await store.Messages.PutAsync([Inbound("m1")], None);
        }
        var path = _sessions.DatabaseOf("dmg");
        var bytes = await File.ReadAllBytesAsync(path);
        // Overwrite the header page after the first byte (the encryption marker), as a bad disk block would.
        new Random(7).NextBytes(bytes.AsSpan(1, 8191));
        await File.WriteAllBytesAsync(path, bytes);

        var error = Assert.ThrowsAny<TenantStoreException>(() => TenantStore.Open(_sessions.PathName, "dmg", options));
        Assert.True(error is TenantStoreCorruptException or TenantStoreKeyException, error.GetType().Name);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public void A_file_from_a_newer_schema_is_refused()
    {
        TenantStore.Open(_sessions.PathName, "new").Dispose();
        var newer = SchemaMigrations.All.Append(new Migration(SchemaMigrations.CurrentVersion + 1, "future", "CREATE TABLE future (id INTEGER)")).ToList();
        TenantStore.Open(_sessions.PathName, "new", new TenantStoreOptions(), newer).Dispose();

        var error = Assert.Throws<TenantStoreVersionException>(() => TenantStore.Open(_sessions.PathName, "new"));
        Assert.Equal(SchemaMigrations.CurrentVersion + 1, error.FileVersion);
    }

    [Fact]
    public async Task A_unit_of_work_commits_signal_state_message_record_and_outbox_event_together()
    {
        using var store = TenantStore.Open(_sessions.PathName, "uow");
        var address = new WebProtocol.Signal.ProtocolAddress("111_1", 1);
        await store.RunInTransactionAsync(async (stores, ct) =>
        {
            await stores.Signal.Sessions.StoreSessionAsync(address, new WebProtocol.Signal.SessionRecord(), ct);
            await stores.Messages.PutAsync([Inbound("in-1")], ct);
            await stores.Outbox.AppendAsync([new NewOutboxEvent("evt-1", "message", [1], T0)], ct);
            // Not visible outside until the unit commits.
            Assert.Null(await store.Messages.GetByIdAsync("in-1", ct));
            await Task.Yield(); // resuming on another thread must not matter
        }, None);

        Assert.NotNull(await store.Signal.Sessions.LoadSessionAsync(address, None));
        Assert.NotNull(await store.Messages.GetByIdAsync("in-1", None));
        Assert.Single(await store.Outbox.ReadPendingAsync(10, None));
    }

    [Fact]
    public async Task A_failed_or_cancelled_unit_of_work_keeps_nothing()
    {
        using var store = TenantStore.Open(_sessions.PathName, "uow");
        await Assert.ThrowsAsync<TimeoutException>(() => store.RunInTransactionAsync(async (stores, ct) =>
        {
            await stores.Messages.PutAsync([Inbound("in-1")], ct);
            await stores.Outbox.AppendAsync([new NewOutboxEvent("evt-1", "message", [1], T0)], ct);
            throw new TimeoutException("decrypt step failed");
        }, None));
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.RunInTransactionAsync(async (stores, ct) =>
        {
            await stores.Messages.PutAsync([Inbound("in-2")], ct);
            await cts.CancelAsync();
        }, cts.Token));

        Assert.Null(await store.Messages.GetByIdAsync("in-1", None));
        Assert.Null(await store.Messages.GetByIdAsync("in-2", None));
        Assert.Empty(await store.Outbox.ReadPendingAsync(10, None));
        // The sequence counter rolled back too.
        Assert.Equal([1L], await store.Outbox.AppendAsync([new NewOutboxEvent("evt-9", "message", [1], T0)], None));
    }

    [Fact]
    public async Task A_failed_isolated_step_undoes_only_its_own_writes_and_the_unit_of_work_commits_the_rest()
    {
        using var store = TenantStore.Open(_sessions.PathName, "uow");
        var alice = new WebProtocol.Signal.ProtocolAddress("111_1", 1);
        var bob = new WebProtocol.Signal.ProtocolAddress("222_1", 1);
        await store.RunInTransactionAsync(async (stores, ct) =>
        {
            await stores.IsolateAsync(async token =>
            {
                await stores.Signal.Sessions.StoreSessionAsync(alice, new WebProtocol.Signal.SessionRecord(), token);
                await stores.Messages.PutAsync([Inbound("in-1")], token);
                return await stores.Outbox.AppendAsync([new NewOutboxEvent("evt-1", "message", [1], T0)], token);
            }, ct);
            // The second message's session, record and event are written, then its step fails.
            await Assert.ThrowsAsync<TimeoutException>(() => stores.IsolateAsync<bool>(async token =>
            {
                await stores.Signal.Sessions.StoreSessionAsync(bob, new WebProtocol.Signal.SessionRecord(), token);
                await stores.Messages.PutAsync([Inbound("in-2"), Inbound("in-1") with { Chat = "overwritten" }], token);
                await stores.Outbox.AppendAsync([new NewOutboxEvent("evt-2", "message", [2], T0)], token);
                throw new TimeoutException("decrypt step failed");
            }, ct));
            Assert.Null(await stores.Messages.GetByIdAsync("in-2", ct));
            await stores.IsolateAsync(async token =>
            {
                await stores.Messages.PutAsync([Inbound("in-3")], token);
                return true;
            }, ct);
        }, None);

        Assert.NotNull(await store.Signal.Sessions.LoadSessionAsync(alice, None));
        Assert.Null(await store.Signal.Sessions.LoadSessionAsync(bob, None));
        Assert.Equal(Inbound("in-1").Chat, (await store.Messages.GetByIdAsync("in-1", None))!.Chat);
        Assert.Null(await store.Messages.GetByIdAsync("in-2", None));
        Assert.NotNull(await store.Messages.GetByIdAsync("in-3", None));
        Assert.Equal(["evt-1"], (await store.Outbox.ReadPendingAsync(10, None)).Select(e => e.EventId));
        // The failed step's sequence number was given back: the next event follows evt-1.
        Assert.Equal([2L], await store.Outbox.AppendAsync([new NewOutboxEvent("evt-9", "message", [1], T0)], None));
    }

    [Fact]
    public async Task Unbound_writes_inside_a_unit_of_work_and_bound_stores_after_it_are_misuse()
    {
        using var store = TenantStore.Open(_sessions.PathName, "uow");
        ITenantStores? leaked = null;
        await store.RunInTransactionAsync(async (stores, ct) =>
        {
            leaked = stores;
            await Assert.ThrowsAsync<InvalidOperationException>(() => store.Messages.PutAsync([Inbound("x")], ct));
        }, None);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => leaked!.Messages.GetByIdAsync("x", None));
    }

    [Fact]
    public async Task Committed_writes_survive_a_reopen()
    {
        using (var store = TenantStore.Open(_sessions.PathName, "re"))
        {
            await store.Messages.PutAsync([Inbound("m1")], None);
            Assert.Equal(0, store.FoundSchemaVersion);
        }
        using var reopened = TenantStore.Open(_sessions.PathName, "re");
        Assert.Equal(SchemaMigrations.CurrentVersion, reopened.FoundSchemaVersion);
        Assert.NotNull(await reopened.Messages.GetByIdAsync("m1", None));
    }
}
