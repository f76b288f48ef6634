using Gateway.SessionStore.Abstractions;

namespace Gateway.SessionStore.Tests;

/// <summary>
/// A store closes its SQLite connections after the idle period (giving its page cache back) and opens it again on the
/// next use, without losing or changing anything. The idle period runs on a manual clock.
/// </summary>
public sealed class IdleCloseTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);
    private readonly TempSessions _sessions = new();
    private readonly ManualTimeProvider _clock = new();

    public void Dispose() => _sessions.Dispose();

    [Fact]
    public async Task An_unused_store_closes_its_engine_after_the_idle_period_and_reopens_on_the_next_read()
    {
        using var store = Open();
        await PutAsync(store, 0);
        Assert.True(store.EngineOpen);

        _clock.Advance(Idle - TimeSpan.FromSeconds(1));
        Assert.True(store.EngineOpen);
        _clock.Advance(Idle);
        Assert.False(store.EngineOpen);

        Assert.NotNull(await store.Messages.GetByIdAsync("m-0", None));
        Assert.True(store.EngineOpen);
        Assert.Equal(1, store.IdleCloses);
    }

    [Fact]
    public async Task Use_within_the_period_keeps_the_engine_open()
    {
        using var store = Open();
        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(Idle / 2);
            await PutAsync(store, i);
        }
        _clock.Advance(Idle / 2);
        Assert.True(store.EngineOpen);
        Assert.Equal(0, store.IdleCloses);
    }

    [Fact]
    public async Task Writes_across_many_closes_all_survive_and_a_unit_of_work_keeps_its_connection()
    {
        using (var store = Open())
        {
            for (var i = 0; i < 20; i++)
            {
                await PutAsync(store, i);
                _clock.Advance(Idle * 2);
                Assert.False(store.EngineOpen);
            }
            // A unit of work holds its connection and transaction: an idle tick during it leaves them alone.
            await store.RunInTransactionAsync(async (stores, ct) =>
            {
                var before = await stores.Messages.GetByIdAsync("m-19", ct);
                Assert.NotNull(before);
                _clock.Advance(Idle * 2);
                Assert.True(store.EngineOpen);
                await stores.Messages.PutAsync([Record(100)], ct);
            }, None);
            Assert.Equal(20, store.IdleCloses);
        }
        using var reopened = Open();
        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull(await reopened.Messages.GetByIdAsync($"m-{i}", None));
        }
        Assert.NotNull(await reopened.Messages.GetByIdAsync("m-100", None));
        Assert.Equal(20, (await reopened.Outbox.ReadPendingAsync(100, None)).Count);
    }

    [Fact]
    public async Task Concurrent_reads_and_commits_while_the_engine_keeps_closing_lose_nothing()
    {
        using var store = Open();
        using var stop = new CancellationTokenSource();
        // Closes the engine as often as it can while the writers and readers below run.
        var closer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                _clock.Advance(Idle);
                await Task.Yield();
            }
        });
        var random = new Random(20261124);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await PutAsync(store, w * 1000 + i);
                if (i % 10 == 9)
                {
                    // Between this writer's own operations, so a close is due whatever the closer managed.
                    _clock.Advance(Idle);
                }
            }
        })).ToArray();
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                var id = $"m-{random.Next(4) * 1000 + random.Next(50)}";
                var found = await store.Messages.GetByIdAsync(id, None);
                if (found is not null)
                {
                    Assert.Equal(id, found.Id);
                }
                _ = await store.Outbox.ReadPendingAsync(10, None);
            }
        })).ToArray();
        await Task.WhenAll(writers.Concat(readers));
        await stop.CancelAsync();
        await closer;

        Assert.True(store.IdleCloses > 0, "the engine never closed during the run, so the test proved nothing");
        for (var w = 0; w < 4; w++)
        {
            for (var i = 0; i < 50; i++)
            {
                Assert.NotNull(await store.Messages.GetByIdAsync($"m-{w * 1000 + i}", None));
            }
        }
        Assert.Equal(200, (await store.Outbox.ReadPendingAsync(1000, None)).Count);
    }

    [Fact]
    public async Task An_encrypted_store_reopens_with_its_key_after_idle_closes()
    {
        var options = new TenantStoreOptions { TimeProvider = _clock, IdleClose = Idle, EncryptionKey = "idle-close-key" };
        using (var store = TenantStore.Open(_sessions.PathName, "t", options))
        {
            for (var i = 0; i < 3; i++)
            {
                await PutAsync(store, i);
                _clock.Advance(Idle * 2);
                Assert.False(store.EngineOpen);
            }
            Assert.NotNull(await store.Messages.GetByIdAsync("m-0", None));
        }
        Assert.Throws<TenantStoreKeyException>(() => TenantStore.Open(_sessions.PathName, "t", options with { EncryptionKey = "another-key" }));
        using var reopened = TenantStore.Open(_sessions.PathName, "t", options);
        Assert.Equal(3, (await reopened.Outbox.ReadPendingAsync(10, None)).Count);
    }

    [Fact]
    public async Task Without_an_idle_period_the_engine_stays_open()
    {
        using var store = TenantStore.Open(_sessions.PathName, "t", new TenantStoreOptions { TimeProvider = _clock, IdleClose = null });
        await PutAsync(store, 0);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.True(store.EngineOpen);
    }

    private TenantStore Open() =>
        TenantStore.Open(_sessions.PathName, "t", new TenantStoreOptions { TimeProvider = _clock, IdleClose = Idle });

    private static MessageRecord Record(int n)
    {
        var at = DateTimeOffset.UnixEpoch.AddSeconds(n);
        return new MessageRecord { Id = $"m-{n}", Direction = MessageDirection.Inbound, Chat = "c@s.whatsapp.net", Status = MessageStatus.Received, CreatedAt = at, UpdatedAt = at };
    }

    private static Task PutAsync(TenantStore store, int n) =>
        store.RunInTransactionAsync(async (stores, ct) =>
        {
            await stores.Messages.PutAsync([Record(n)], ct);
            await stores.Outbox.AppendAsync([new NewOutboxEvent($"e-{n}", "message", new byte[64], DateTimeOffset.UnixEpoch.AddSeconds(n))], ct);
        }, None);
}
