namespace Gateway.Providers.Web;

/// <summary>Where the WhatsApp Web provider connects and whom it trusts (WHATSAPP_WS_URL, WHATSAPP_ROOT_KEY).</summary>
public sealed class WebProviderOptions
{
    public const string Section = "Gateway:Web";

    public Uri WebSocketUrl { get; set; } = new("wss://web.whatsapp.com/ws/chat");

    /// <summary>64 hex characters of the Noise certificate root; empty means WhatsApp's own.</summary>
    public string? RootKey { get; set; }

    /// <summary>The name the phone shows for this linked device's owner.</summary>
    public string? PushName { get; set; }

    /// <summary>How long a send waits for the server's ack before it counts as failed.</summary>
    public TimeSpan SendAckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest media file fetched from a mediaUrl.</summary>
    public long MaxMediaBytes { get; set; } = 16 * 1024 * 1024;

    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(25);

    public TimeSpan KeepAliveGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// One-time prekeys uploaded after pairing. whatsmeow uploads 50 and tops up when the server says it runs low;
    /// Baileys' 812 make every new tenant's store about 1 MB larger for keys that are almost never all used.
    /// </summary>
    public int InitialPreKeyCount { get; set; } = 50;

    /// <summary>QR codes shown before an unscanned session gives up (status qr_timeout).</summary>
    public int MaxQrCodes { get; set; } = 6;

    public TimeSpan FirstQrLifetime { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan NextQrLifetime { get; set; } = TimeSpan.FromSeconds(20);

    public byte[]? RootKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(RootKey))
        {
            return null;
        }

        var bytes = Convert.FromHexString(RootKey.Trim());
        return bytes.Length == 32 ? bytes : throw new FormatException("WHATSAPP_ROOT_KEY must be 64 hex characters (32 bytes).");
    }
}
