using Gateway.SessionStore.Abstractions;

namespace Gateway.SessionStore.Tests;

public sealed class BackupTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempSessions _sessions = new();

    public void Dispose() => _sessions.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("backup-key")]
    public async Task Export_then_import_restores_the_tenant_exactly(string? key)
    {
        var options = new TenantStoreOptions { EncryptionKey = key };
        var file = Path.Combine(_sessions.PathName, "backup.db");
        using (var store = TenantStore.Open(_sessions.PathName, "src", options))
        {
            await store.Messages.PutAsync([new MessageRecord { Id = "m1", Direction = MessageDirection.Outbound, Chat = "c@s.whatsapp.net", Status = MessageStatus.Sent, CreatedAt = T0, UpdatedAt = T0, IdempotencyKey = "k" }], CancellationToken.None);
            await store.Outbox.AppendAsync([new NewOutboxEvent("e1", "message.sent", [9], T0)], CancellationToken.None);
            await TenantBackup.ExportAsync(store, file, CancellationToken.None);
            // Written after the export: must not be in the restored tenant.
            await store.Messages.PutAsync([new MessageRecord { Id = "m2", Direction = MessageDirection.Inbound, Chat = "c@s.whatsapp.net", Status = MessageStatus.Received, CreatedAt = T0, UpdatedAt = T0 }], CancellationToken.None);
        }

        await TenantBackup.ImportAsync(_sessions.PathName, "dst", file, options, replaceExisting: false, CancellationToken.None);

        using var restored = TenantStore.Open(_sessions.PathName, "dst", options);
        Assert.Equal("m1", (await restored.Messages.GetByIdempotencyKeyAsync("k", CancellationToken.None))?.Id);
        Assert.Null(await restored.Messages.GetByIdAsync("m2", CancellationToken.None));
        Assert.Equal(["e1"], (await restored.Outbox.ReadPendingAsync(10, CancellationToken.None)).Select(e => e.EventId));
    }

    [Fact]
    public async Task Import_refuses_an_open_tenant_an_existing_one_and_a_damaged_file()
    {
        var file = Path.Combine(_sessions.PathName, "backup.db");
        using (var store = TenantStore.Open(_sessions.PathName, "src"))
        {
            await TenantBackup.ExportAsync(store, file, CancellationToken.None);
            await Assert.ThrowsAsync<TenantStoreLockedException>(() => TenantBackup.ImportAsync(_sessions.PathName, "src", file, null, true, CancellationToken.None));
        }
        await Assert.ThrowsAsync<InvalidOperationException>(() => TenantBackup.ImportAsync(_sessions.PathName, "src", file, null, false, CancellationToken.None));

        var damaged = Path.Combine(_sessions.PathName, "damaged.db");
        var bytes = await File.ReadAllBytesAsync(file);
        new Random(3).NextBytes(bytes.AsSpan(1, 8191));
        await File.WriteAllBytesAsync(damaged, bytes);
        await Assert.ThrowsAsync<TenantStoreCorruptException>(() => TenantBackup.ImportAsync(_sessions.PathName, "src", damaged, null, true, CancellationToken.None));
        await Assert.ThrowsAsync<TenantStoreKeyException>(() => TenantBackup.ImportAsync(_sessions.PathName, "src", file, new TenantStoreOptions { EncryptionKey = "k" }, true, CancellationToken.None));
        using var intact = TenantStore.Open(_sessions.PathName, "src");
    }
}
