namespace Gateway.Events;

/// <summary>The event names of the webhook envelope.</summary>
public static class EventNames
{
    public const string Message = "message";
    public const string MessageSent = "message.sent";
    public const string MessageAck = "message.ack";
    public const string SessionStatus = "session.status";
    public const string SessionQr = "session.qr";

    public static readonly IReadOnlyList<string> All = [Message, MessageSent, MessageAck, SessionStatus, SessionQr];
}

/// <summary>Media described in an inbound message event; the bytes are fetched separately.</summary>
public sealed record InboundMedia(string? MimeType, string? FileName, long? Size, string? Sha256, string? MediaId);

/// <summary>An inbound message as every provider reports it. Phone-number JID and LID both, when known.</summary>
public sealed record InboundMessage(
    string MessageId,
    string From,
    string? FromLid,
    string Chat,
    string? PushName,
    DateTimeOffset Timestamp,
    string Type,
    string? Text,
    string? Caption,
    InboundMedia? Media);

public enum DeliveryStatus
{
    Queued,
    Sent,
    Delivered,
    Read,
    Failed,
}

/// <summary>A change of an outbound message's status reported by the provider.</summary>
public sealed record MessageStatusReport(string ProviderMessageId, string? Recipient, DeliveryStatus Status, DateTimeOffset At, string? Error);
