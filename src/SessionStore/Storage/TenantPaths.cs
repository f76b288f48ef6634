namespace Gateway.SessionStore.Storage;

/// <summary>Where a tenant's files live: <c>&lt;sessionsDir&gt;/&lt;tenantId&gt;/session.db</c> and its lock file.</summary>
internal sealed record TenantPaths(string Directory, string Database, string Log, string Lock)
{
    public const string DatabaseFileName = "session.db";
    public const string LockFileName = "session.lock";

    // LiteDB names its write-ahead log after the data file.
    private const string LogFileName = "session-log.db";
    private const int MaxTenantIdLength = 128;

    public static TenantPaths For(string sessionsDirectory, string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionsDirectory);
        EnsureSafeTenantId(tenantId);
        var root = Path.GetFullPath(sessionsDirectory);
        var directory = Path.GetFullPath(Path.Combine(root, tenantId));
        // Belt and braces: whatever the id, the folder must be a direct child of the sessions folder.
        if (!string.Equals(Path.GetDirectoryName(directory), root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            throw new ArgumentException("The tenant id does not name a folder inside the sessions folder.", nameof(tenantId));
        }
        return new TenantPaths(
            directory,
            Path.Combine(directory, DatabaseFileName),
            Path.Combine(directory, LogFileName),
            Path.Combine(directory, LockFileName));
    }

    /// <summary>
    /// The caller validates tenant ids by the API's rule; this only refuses what could escape the sessions folder
    /// or confuse the file system: separators, dot names, control characters and overly long ids.
    /// </summary>
    public static void EnsureSafeTenantId(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var safe = tenantId.Length <= MaxTenantIdLength
            && tenantId[0] != '.'
            && tenantId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
        if (!safe)
        {
            throw new ArgumentException("A tenant id is 1-128 characters of letters, digits, '-', '_' or '.', not starting with '.'.", nameof(tenantId));
        }
    }
}
