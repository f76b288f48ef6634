namespace Gateway.WebProtocol.Transport;

/// <summary>How <see cref="WebSocketTransport.ConnectAsync"/> opens the socket.</summary>
public sealed record WebSocketTransportOptions
{
    /// <summary>WhatsApp Web's origin; the server expects a browser-like upgrade request.</summary>
    public string Origin { get; init; } = "https://web.whatsapp.com";

    /// <summary>Upper bound for the TCP/TLS/upgrade phase.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Size of the receive buffer handed to the socket.</summary>
    public int ReceiveBufferSize { get; init; } = 64 * 1024;

    /// <summary>Source of time for the connect timeout.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
