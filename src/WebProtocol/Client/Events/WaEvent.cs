using Gateway.WebProtocol.Types;

namespace Gateway.WebProtocol.Client;

/// <summary>Something the application may want to know; read them from <see cref="WaClient.Events"/>.</summary>
public abstract record WaEvent;

/// <summary>A QR code to show: its text and when the server will rotate it. <paramref name="Index"/> counts from 1.</summary>
public sealed record QrCodeEvent(string Text, DateTimeOffset ExpiresAt, int Index) : WaEvent;

/// <summary>The 8-character code to type on the phone (Linked devices, link with phone number).</summary>
public sealed record PairingCodeEvent(string Code) : WaEvent;

/// <summary>The phone accepted this device; the client restarts the connection and logs in by itself.</summary>
public sealed record PairedEvent(Jid Device, Jid? Lid, string? Platform) : WaEvent;

/// <summary>Logged in and ready to send.</summary>
public sealed record ConnectedEvent(Jid Device, Jid? Lid) : WaEvent;

/// <summary>The connection ended; <see cref="DisconnectReason.ShouldReconnect"/> says whether to try again.</summary>
public sealed record DisconnectedEvent(DisconnectReason Reason) : WaEvent;

/// <summary>An inbound message, already handed to <see cref="WaClientOptions.MessageHandler"/> and acknowledged.</summary>
public sealed record MessageReceivedEvent(ReceivedMessage Message) : WaEvent;

/// <summary>A sent message moved on: server ack, delivered, read, or failed.</summary>
public sealed record MessageStatusEvent(string MessageId, Jid Chat, MessageStatus Status, Jid? From, int? ErrorCode = null) : WaEvent;

/// <summary>A message that could not be decrypted; a retry receipt went to the sender (or the cap was hit).</summary>
public sealed record DecryptionFailedEvent(string MessageId, Jid From, int RetryCount, string Reason) : WaEvent;
