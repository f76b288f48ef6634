namespace Gateway.SessionStore;

/// <summary>How a tenant store is opened.</summary>
public sealed record TenantStoreOptions
{
    /// <summary>
    /// Encrypts the file at rest (GATEWAY_STORE_KEY). LiteDB derives an AES key from it with PBKDF2 and a per-file
    /// salt. A file is encrypted or plain for life: opening it the other way fails with <see cref="TenantStoreKeyException"/>.
    /// </summary>
    public string? EncryptionKey { get; init; }

    /// <summary>
    /// Log pages after which a commit folds the log back into the data file (LiteDB's own default, 8 MB of log). Each
    /// checkpoint copies the pages and fsyncs both files, so a busy tenant at 64 pages spent a sixth of its CPU there
    /// (docs/benchmarks.md); the pages no longer stay in the page cache until the checkpoint (its segments are flat and
    /// recycled, see PageCacheSegments), and a tenant's log is folded in and emptied when its engine closes while idle.
    /// </summary>
    public int CheckpointPages { get; init; } = 1000;

    /// <summary>
    /// When the files are forced to the disk (GATEWAY_STORE_FSYNC, read with <see cref="FsyncPolicy.Parse"/>).
    /// A commit survives a killed process under every policy; the policy is about power loss.
    /// </summary>
    public FsyncPolicy Fsync { get; init; } = FsyncPolicy.Default;

    /// <summary>
    /// How long a store goes unused before its LiteDB engine closes, giving its page cache back; the next read or
    /// write opens it again. Null keeps the engine open for the life of the store.
    /// </summary>
    public TimeSpan? IdleClose { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Called, on a timer thread, each time an idle store has closed its engine. The memory the engine held is garbage
    /// from then on; the owner decides when to have the runtime give it back to the operating system.
    /// </summary>
    public Action? EngineClosed { get; init; }

    /// <summary>The clock of the interval fsync and of the idle close; tests pass a manual one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
