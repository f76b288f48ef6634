using Gateway.WebProtocol.Proto;

namespace Gateway.WebProtocol.Noise;

/// <summary>What this client tells the server about itself in every ClientPayload. Defaults match Baileys 7.</summary>
public sealed record ClientPayloadOptions
{
    /// <summary>The WhatsApp Web version we claim; its MD5 is the registration build hash.</summary>
    public (uint Primary, uint Secondary, uint Tertiary) AppVersion { get; init; } = (2, 3000, 1043857760);

    public string LanguageCode { get; init; } = "en";

    public string CountryCode { get; init; } = "US";

    /// <summary>Sent when not null or empty.</summary>
    public string? PushName { get; init; }

    /// <summary>Shown on the phone as the linked device's OS ("Mac OS" in "Chrome (Mac OS)").</summary>
    public string DeviceOs { get; init; } = "Mac OS";

    /// <summary>The browser the phone shows for the linked device.</summary>
    public DeviceProps.Types.PlatformType PlatformType { get; init; } = DeviceProps.Types.PlatformType.Chrome;

    /// <summary>Ask the phone for the full history at pairing instead of the recent part.</summary>
    public bool RequireFullSync { get; init; }

    /// <summary>Baileys 7 sends false, whatsmeow true; the server accepts both.</summary>
    public bool LidDbMigrated { get; init; }
}
