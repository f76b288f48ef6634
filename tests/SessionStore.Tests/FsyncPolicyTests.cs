using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Storage;

namespace Gateway.SessionStore.Tests;

/// <summary>
/// When the tenant files are forced to the disk. Syncs are counted by the files themselves (TenantFileStream.Syncs),
/// and the interval runs on a manual clock, so nothing here depends on timing.
/// </summary>
public sealed class FsyncPolicyTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly TempSessions _sessions = new();
    private readonly ManualTimeProvider _clock = new();

    public void Dispose() => _sessions.Dispose();

    [Theory]
    [InlineData("always", true)]
    [InlineData(" Always ", true)]
    [InlineData("interval", false)]
    [InlineData("INTERVAL", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void The_environment_value_names_a_policy(string? value, bool always)
    {
        var policy = FsyncPolicy.Parse(value);
        Assert.Equal(always, policy.IsAlways);
        Assert.Equal(always ? null : Second, policy.Period);
    }

    [Theory]
    [InlineData("never")]
    [InlineData("1s")]
    [InlineData("interval(1s)")]
    public void An_unknown_environment_value_is_refused(string value)
    {
        Assert.Throws<ArgumentException>(() => FsyncPolicy.Parse(value));
    }

    [Fact]
    public void The_default_is_a_one_second_interval()
    {
        Assert.Equal(FsyncPolicy.Interval(Second), new TenantStoreOptions().Fsync);
        Assert.Throws<ArgumentOutOfRangeException>(() => FsyncPolicy.Interval(TimeSpan.Zero));
    }

    [Fact]
    public async Task Always_forces_the_log_to_disk_before_each_commit_returns()
    {
        using var store = Open(FsyncPolicy.Always);
        for (var i = 0; i < 3; i++)
        {
            var before = store.LogFile.Syncs;
            await CommitAsync(store, i);
            Assert.True(store.LogFile.Syncs > before, $"commit {i} returned without an fsync of the log");
            Assert.False(store.LogFile.IsDirty);
        }
    }

    [Fact]
    public async Task Interval_commits_without_an_fsync_and_syncs_once_the_period_has_passed()
    {
        using var store = Open(FsyncPolicy.Interval(Second));
        var before = store.LogFile.Syncs;
        await CommitAsync(store, 0);
        await CommitAsync(store, 1);
        Assert.Equal(before, store.LogFile.Syncs);
        Assert.True(store.LogFile.IsDirty);

        _clock.Advance(Second - TimeSpan.FromMilliseconds(1));
        Assert.Equal(before, store.LogFile.Syncs);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(before + 1, store.LogFile.Syncs);
        Assert.False(store.LogFile.IsDirty);

        // The next write arms the timer again; with nothing written, nothing is armed.
        Assert.Equal(0, _clock.ArmedTimers);
        await CommitAsync(store, 2);
        Assert.Equal(1, _clock.ArmedTimers);
        _clock.Advance(Second);
        Assert.Equal(before + 2, store.LogFile.Syncs);
    }

    [Fact]
    public async Task A_commit_returns_only_after_LiteDBs_writer_has_handed_its_pages_to_the_log_file()
    {
        // LiteDB's Commit returns with the pages still queued for its writer thread; a process killed then would
        // lose a commit that was already acknowledged. Hold the writer inside the log file's write and check that
        // the commit waits for it (LogWriteFence).
        using var store = Open(FsyncPolicy.Interval(Second));
        await CommitAsync(store, 0);
        using var writerEntered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        store.LogFile.BeforeWrite = () =>
        {
            writerEntered.Set();
            release.Wait();
        };
        Task commit;
        bool finishedWhileHeld;
        try
        {
            commit = Task.Run(() => CommitAsync(store, 1));
            Assert.True(writerEntered.Wait(TimeSpan.FromSeconds(30)), "LiteDB's writer never wrote the commit's pages");
            // Were the commit not fenced it would complete now, with its pages still held before the file.
            finishedWhileHeld = await Task.WhenAny(commit, Task.Delay(TimeSpan.FromMilliseconds(300))) == commit;
        }
        finally
        {
            // Closing the store waits for LiteDB's writer, so it must never stay held.
            store.LogFile.BeforeWrite = null;
            release.Set();
        }
        Assert.False(finishedWhileHeld, "the commit returned while its pages were still on their way to the log file");
        await commit;
        Assert.NotNull(await store.Messages.GetByIdAsync("m-1", None));
    }

    [Fact]
    public async Task Interval_commits_are_readable_after_a_reopen_without_waiting_for_the_timer()
    {
        using (var store = Open(FsyncPolicy.Interval(Second)))
        {
            await CommitAsync(store, 0);
        }
        using var reopened = Open(FsyncPolicy.Interval(Second));
        Assert.NotNull(await reopened.Messages.GetByIdAsync("m-0", None));
        Assert.Single(await reopened.Outbox.ReadPendingAsync(10, None));
    }

    [Fact]
    public void Interval_files_sync_on_close_what_the_timer_has_not_synced()
    {
        var files = OpenFiles(FsyncPolicy.Interval(Second));
        files.Log.Write(new byte[8192]);
        files.Data.Write(new byte[8192]);
        Assert.Equal(0, files.Log.Syncs);
        Assert.True(files.Log.IsDirty);

        files.Dispose();

        Assert.Equal(1, files.Log.Syncs);
        Assert.Equal(1, files.Data.Syncs);
        Assert.False(files.Log.IsDirty);
        // The timer died with the files.
        Assert.Equal(0, _clock.ArmedTimers);
    }

    [Fact]
    public void LiteDBs_flush_syncs_the_data_file_but_never_the_log()
    {
        using var files = OpenFiles(FsyncPolicy.Interval(Second));
        files.Log.Write(new byte[8192]);
        files.Log.Flush();
        Assert.Equal(0, files.Log.Syncs);

        // A checkpoint flushes the data file before it empties the log: that flush must reach the disk.
        files.Data.Write(new byte[8192]);
        files.Data.Flush();
        Assert.Equal(1, files.Data.Syncs);
        files.Data.Flush();
        Assert.Equal(1, files.Data.Syncs); // nothing new to sync
    }

    [Fact]
    public void Cutting_the_log_syncs_it_at_once()
    {
        using var files = OpenFiles(FsyncPolicy.Interval(Second));
        files.Log.Write(new byte[3 * 8192]);
        files.Log.SetLength(0);
        Assert.Equal(1, files.Log.Syncs);
        Assert.Equal(0, files.Log.Length);
    }

    private TenantStore Open(FsyncPolicy policy) =>
        // A checkpoint cuts the log and so syncs it, as does closing an idle engine: these counts are about commits alone.
        TenantStore.Open(_sessions.PathName, "t", new TenantStoreOptions { Fsync = policy, TimeProvider = _clock, CheckpointPages = 100_000, IdleClose = null });

    private TenantFiles OpenFiles(FsyncPolicy policy)
    {
        var paths = TenantPaths.For(_sessions.PathName, "files");
        Directory.CreateDirectory(paths.Directory);
        return TenantFiles.Open(paths, policy, _clock);
    }

    private static Task CommitAsync(TenantStore store, int n) =>
        store.RunInTransactionAsync(async (stores, ct) =>
        {
            var at = DateTimeOffset.UnixEpoch.AddSeconds(n);
            await stores.Messages.PutAsync(
                [new MessageRecord { Id = $"m-{n}", Direction = MessageDirection.Inbound, Chat = "c@s.whatsapp.net", Status = MessageStatus.Received, CreatedAt = at, UpdatedAt = at }],
                ct);
            await stores.Outbox.AppendAsync([new NewOutboxEvent($"e-{n}", "message", new byte[64], at)], ct);
        }, None);
}
