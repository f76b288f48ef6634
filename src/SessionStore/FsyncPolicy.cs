namespace Gateway.SessionStore;

/// <summary>
/// When a tenant store forces its files to the disk (fsync). Every commit reaches the operating system before it
/// returns, whatever the policy, so it survives the gateway process being killed (SIGKILL, OOM kill, redeploy);
/// the policy decides only what a power loss or kernel crash of the whole machine can take back.
/// </summary>
public sealed record FsyncPolicy
{
    /// <summary>The environment variable the gateway host reads the policy from: <c>always</c> or <c>interval</c>.</summary>
    public const string EnvironmentVariable = "GATEWAY_STORE_FSYNC";

    private FsyncPolicy(TimeSpan? period)
    {
        Period = period;
    }

    /// <summary>A commit returns only after its log pages are on the disk: nothing committed is lost even on power loss.</summary>
    public static FsyncPolicy Always { get; } = new((TimeSpan?)null);

    /// <summary>One second interval: the default.</summary>
    public static FsyncPolicy Default { get; } = Interval(TimeSpan.FromSeconds(1));

    /// <summary>Null for <see cref="Always"/>; otherwise how long written pages may wait in the OS before an fsync.</summary>
    public TimeSpan? Period { get; }

    public bool IsAlways => Period is null;

    /// <summary>
    /// Written pages are fsynced at most <paramref name="period"/> after they were written, and when the store closes:
    /// a power loss can take back the commits of the last period. A checkpoint still fsyncs the data file before it
    /// empties the log, so a power loss loses recent commits but never leaves a half-copied data file.
    /// </summary>
    public static FsyncPolicy Interval(TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        return new FsyncPolicy(period);
    }

    /// <summary>
    /// Reads the value of <see cref="EnvironmentVariable"/>: <c>always</c>, <c>interval</c> (one second), or nothing
    /// for the default. Anything else is refused rather than silently weakened or strengthened.
    /// </summary>
    public static FsyncPolicy Parse(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Default;
        }
        if (string.Equals(text, "always", StringComparison.OrdinalIgnoreCase))
        {
            return Always;
        }
        if (string.Equals(text, "interval", StringComparison.OrdinalIgnoreCase))
        {
            return Default;
        }
        throw new ArgumentException($"{EnvironmentVariable} is 'always' or 'interval'.", nameof(value));
    }

    public override string ToString() => Period is { } period ? $"interval({period.TotalMilliseconds:0} ms)" : "always";
}
