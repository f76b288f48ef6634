namespace Gateway.SessionStore.Tests;

/// <summary>What GATEWAY_STORE_FSYNC means for SQLite: the synchronous level of every connection a store opens.</summary>
public sealed class FsyncPolicyTests : IDisposable
{
    private readonly TempSessions sessions = new();

    public void Dispose() => sessions.Dispose();

    [Theory]
    [InlineData("always", true)]
    [InlineData(" Always ", true)]
    [InlineData("interval", false)]
    [InlineData("INTERVAL", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void The_environment_value_names_a_policy(string? value, bool always) =>
        Assert.Equal(always, FsyncPolicy.Parse(value).IsAlways);

    [Theory]
    [InlineData("never")]
    [InlineData("1s")]
    [InlineData("interval(1s)")]
    public void An_unknown_environment_value_is_refused(string value) =>
        Assert.Throws<ArgumentException>(() => FsyncPolicy.Parse(value));

    [Fact]
    public void The_default_is_the_interval_policy() =>
        Assert.Equal(FsyncPolicy.Default, new TenantStoreOptions().Fsync);

    [Theory]
    [InlineData("always", 2L)] // FULL: the log is synced before each commit returns
    [InlineData("interval", 1L)] // NORMAL: in WAL mode, synced at checkpoints
    public void Each_policy_sets_sqlites_synchronous_level_in_wal_mode(string value, long level)
    {
        using var store = TenantStore.Open(sessions.PathName, "t", new TenantStoreOptions { Fsync = FsyncPolicy.Parse(value) });
        Assert.Equal(level, store.Read(connection => connection.Scalar("PRAGMA synchronous")));
        Assert.Equal("wal", store.Read(connection => connection.Scalar("PRAGMA journal_mode")));
    }
}
