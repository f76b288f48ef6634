namespace Gateway.Emulator;

/// <summary>Knobs of one emulator instance; the defaults suit tests.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Port of the WebSocket and admin endpoint; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Port of the HTTPS media endpoint; 0 picks a free one.</summary>
    public int MediaPort { get; init; }

    /// <summary>How many QR refs a registering client gets (Baileys closes with 408 when they run out).</summary>
    public int QrRefCount { get; init; } = 6;

    /// <summary>How long the emulated phone waits for pair-device-sign after pair-success.</summary>
    public TimeSpan PairingReplyTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Where the media CA certificate (PEM) is written; a fresh temp directory when null.</summary>
    public string? CertificateDirectory { get; init; }

    /// <summary>Capacity of each connection's outbound stanza queue.</summary>
    public int OutboundQueueCapacity { get; init; } = 256;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
