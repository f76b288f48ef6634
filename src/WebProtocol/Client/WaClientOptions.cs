using System.Security.Cryptography;
using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.WebProtocol.Client;

/// <summary>Everything a <see cref="WaClient"/> needs from outside: where to connect, whom to trust, how to behave.</summary>
public sealed record WaClientOptions
{
    public static readonly Uri DefaultWebSocketUrl = new("wss://web.whatsapp.com/ws/chat");

    /// <summary>The chat WebSocket; an emulator in tests.</summary>
    public Uri WebSocketUrl { get; init; } = DefaultWebSocketUrl;

    /// <summary>The Noise certificate root (32 bytes); null means WhatsApp's.</summary>
    public ReadOnlyMemory<byte>? RootPublicKey { get; init; }

    /// <summary>Opens the byte pipe; null means a <see cref="WebSocketTransport"/> to <see cref="WebSocketUrl"/>.</summary>
    public Func<CancellationToken, Task<IDuplexTransport>>? TransportFactory { get; init; }

    /// <summary>HTTP handler for media upload and download (a test CA in tests); null means the default handler.</summary>
    public HttpMessageHandler? MediaHttpHandler { get; init; }

    /// <summary>What the client tells the server about itself (push name, platform, version).</summary>
    public ClientPayloadOptions Payload { get; init; } = new();

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Source of every random byte the client makes (keys, ids, padding); seeded in tests.</summary>
    public RandomNumberGenerator Random { get; init; } = RandomNumberGenerator.Create();

    /// <summary>How often a ping goes out; WhatsApp Web pings every 20 to 30 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>With no frame at all for interval + grace the connection is declared dead.</summary>
    public TimeSpan KeepAliveGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an iq may stay unanswered.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Upper bound on the QR codes shown before the client gives up (the server's refs bound it too).</summary>
    public int MaxQrCodes { get; init; } = 6;

    /// <summary>The first QR code lives this long, later ones <see cref="NextQrLifetime"/> (Baileys' 60 s / 20 s).</summary>
    public TimeSpan FirstQrLifetime { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan NextQrLifetime { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>One-time prekeys uploaded when the server has none (Baileys: 812); 5 when it runs low.</summary>
    public int InitialPreKeyCount { get; init; } = 812;

    public int LowPreKeyThreshold { get; init; } = 5;

    /// <summary>
    /// The application's handler of inbound messages, awaited before the message's receipt and ack go out: when it
    /// returns, the message is the application's (it commits what it keeps). If it throws, nothing is acknowledged
    /// and WhatsApp delivers the message again, which the client then answers from its <see cref="Stores.IInboundBuffer"/>.
    /// The same message may therefore reach it more than once; it must be idempotent by message id.
    /// </summary>
    public Func<ReceivedMessage, CancellationToken, Task>? MessageHandler { get; init; }

    /// <summary>
    /// The application's handler of delivery and read receipts (one receipt may carry several messages), awaited
    /// before the receipt is acknowledged; if it throws, the server sends the receipt again at the next login.
    /// </summary>
    public Func<IReadOnlyList<MessageStatusEvent>, CancellationToken, Task>? ReceiptHandler { get; init; }

    /// <summary>How long a sent message may wait for the server's ack before the send fails.</summary>
    public TimeSpan SendAckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sent messages kept for answering retry receipts.</summary>
    public int RecentMessageCapacity { get; init; } = 512;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
