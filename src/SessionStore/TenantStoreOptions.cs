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
    /// Log pages after which a commit folds the log back into the data file. Small keeps the log file, the
    /// wal index and the page cache small for the many tenants that write little.
    /// </summary>
    public int CheckpointPages { get; init; } = 64;
}
