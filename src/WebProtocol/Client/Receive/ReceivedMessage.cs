using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Types;

namespace Gateway.WebProtocol.Client;

/// <summary>
/// A decrypted inbound message. <see cref="Chat"/> is the conversation (the peer, or for my own other
/// device's message the peer it was sent to); <see cref="Sender"/> is the sending device.
/// </summary>
public sealed record ReceivedMessage(
    string Id,
    Jid Chat,
    Jid Sender,
    Jid? SenderPn,
    Jid? SenderLid,
    bool FromMe,
    DateTimeOffset Timestamp,
    string? PushName,
    Message Content,
    bool WasPreKeyMessage)
{
    /// <summary>The text of a text message (plain or extended), or a media caption; null otherwise.</summary>
    public string? Text =>
        Content.HasConversation ? Content.Conversation
        : Content.ExtendedTextMessage?.Text
        ?? Content.ImageMessage?.Caption
        ?? Content.VideoMessage?.Caption
        ?? Content.DocumentMessage?.Caption;

    /// <summary>The quoted message's id when this is a reply.</summary>
    public string? QuotedMessageId =>
        (Content.ExtendedTextMessage?.ContextInfo
         ?? Content.ImageMessage?.ContextInfo
         ?? Content.DocumentMessage?.ContextInfo
         ?? Content.AudioMessage?.ContextInfo
         ?? Content.VideoMessage?.ContextInfo)?.StanzaId;
}
