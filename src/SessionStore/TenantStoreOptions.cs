namespace Gateway.SessionStore;

/// <summary>How a tenant store is opened.</summary>
public sealed record TenantStoreOptions
{
    /// <summary>
    /// Seals every secret and all content at rest (GATEWAY_STORE_KEY): AES-GCM per value, with a key derived by HKDF
    /// from this text and the file's salt. A file is sealed or plain for life: opening it the other way fails with
    /// <see cref="TenantStoreKeyException"/>.
    /// </summary>
    public string? EncryptionKey { get; init; }

    /// <summary>
    /// What a commit waits for (GATEWAY_STORE_FSYNC, read with <see cref="FsyncPolicy.Parse"/>). A commit survives a
    /// killed process under every policy; the policy is about power loss.
    /// </summary>
    public FsyncPolicy Fsync { get; init; } = FsyncPolicy.Default;

    /// <summary>
    /// How long a store goes unused before it closes its connections, giving their page caches back; the next read or
    /// write opens them again. Null keeps them open for the life of the store.
    /// </summary>
    public TimeSpan? IdleClose { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called, on a timer thread, each time an idle store has closed its connections.</summary>
    public Action? EngineClosed { get; init; }

    /// <summary>The clock of the idle close; tests pass a manual one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
