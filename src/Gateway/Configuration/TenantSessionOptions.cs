namespace Gateway.Configuration;

/// <summary>How sessions behave: restore, reconnect, pacing and the global webhook.</summary>
public sealed class TenantSessionOptions
{
    public const string Section = "Gateway:Sessions";

    /// <summary>Handshakes running at once while restoring tenants at start.</summary>
    public int RestoreParallelism { get; set; } = 8;

    /// <summary>Least time between two sends of one tenant; 0 sends as fast as the provider takes them.</summary>
    public TimeSpan SendInterval { get; set; } = TimeSpan.FromMilliseconds(25);

    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long POST start waits for a QR or a connection before answering with the status it has.</summary>
    public TimeSpan StartWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Webhook for tenants without their own (GATEWAY_WEBHOOK_URL).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Secret of the global webhook (GATEWAY_WEBHOOK_SECRET): whsec_... or any text.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>always | interval (default): when commits are forced to the disk (GATEWAY_STORE_FSYNC).</summary>
    public string? Fsync { get; set; }

    /// <summary>
    /// How long a tenant's store goes unused before it closes its database connections and gives their cache memory
    /// back (the next message opens them again); 0 keeps them open.
    /// </summary>
    public TimeSpan StoreIdleClose { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the daemon checks whether idle stores have freed memory, and if so has the runtime give it back to
    /// the operating system (one compacting collection); 0 never does.
    /// </summary>
    public TimeSpan MemoryTrimInterval { get; set; } = TimeSpan.FromSeconds(30);


    /// <summary>Encrypts session files and sealed settings at rest (GATEWAY_STORE_KEY).</summary>
    public string? StoreKey { get; set; }
}
