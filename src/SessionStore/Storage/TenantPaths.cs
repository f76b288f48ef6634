namespace Gateway.SessionStore.Storage;

/// <summary>Where a tenant's files live: <c>&lt;sessionsDir&gt;/&lt;tenantId&gt;/session.db</c> and its lock file.</summary>
internal sealed record TenantPaths(string Directory, string Database, string Lock)
{
    public const string DatabaseFileName = "session.db";
    public const string LockFileName = "session.lock";

    private const int MaxTenantIdLength = 128;

    /// <summary>The LiteDB version's log beside its data file, and where a converted tenant keeps its old files.</summary>
    public string LiteDbLog => Path.Combine(Directory, "session-log.db");

    public string LiteDbBackup => Path.Combine(Directory, "session.litedb.bak");

    public string LiteDbLogBackup => Path.Combine(Directory, "session-log.litedb.bak");

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

        return new TenantPaths(directory, Path.Combine(directory, DatabaseFileName), Path.Combine(directory, LockFileName));
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
