namespace Gateway.SessionStore;

/// <summary>
/// When a tenant's commits are forced to the disk. Every commit reaches the operating system before it returns,
/// whatever the policy, so it survives the gateway process being killed (SIGKILL, OOM kill, redeploy); the policy
/// decides only what a power loss or kernel crash of the whole machine can take back.
/// </summary>
public sealed record FsyncPolicy
{
    /// <summary>The environment variable the gateway host reads the policy from: <c>always</c> or <c>interval</c>.</summary>
    public const string EnvironmentVariable = "GATEWAY_STORE_FSYNC";

    private FsyncPolicy(bool isAlways)
    {
        IsAlways = isAlways;
    }

    /// <summary>SQLite's synchronous=FULL: a commit returns after its log is on the disk; a power loss loses nothing committed.</summary>
    public static FsyncPolicy Always { get; } = new(true);

    /// <summary>
    /// SQLite's synchronous=NORMAL in WAL mode, the default: the log is synced at checkpoints, so a power loss may take
    /// back the last moments of commits but never leaves the database inconsistent.
    /// </summary>
    public static FsyncPolicy Default { get; } = new(false);

    public bool IsAlways { get; }

    /// <summary>
    /// Reads the value of <see cref="EnvironmentVariable"/>: <c>always</c>, <c>interval</c>, or nothing for the default.
    /// Anything else is refused rather than silently weakened or strengthened.
    /// </summary>
    public static FsyncPolicy Parse(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || string.Equals(text, "interval", StringComparison.OrdinalIgnoreCase))
        {
            return Default;
        }

        if (string.Equals(text, "always", StringComparison.OrdinalIgnoreCase))
        {
            return Always;
        }

        throw new ArgumentException($"{EnvironmentVariable} is 'always' or 'interval'.", nameof(value));
    }

    public override string ToString() => IsAlways ? "always" : "interval";
}
