namespace Gateway.Messaging;

public enum MessageKind
{
    Text,
    Image,
    Document,
    Audio,
    Video,
    Template,
}

/// <summary>Media for an outbound message: either bytes the caller sent or a URL to fetch (or hand to Meta).</summary>
public sealed record OutboundMedia(string MimeType, byte[]? Content, Uri? Url, string? FileName);

/// <summary>A Cloud API template: name, language code and the raw components array as Meta documents it.</summary>
public sealed record TemplateContent(string Name, string Language, System.Text.Json.JsonElement? Components);

/// <summary>A validated message ready for a provider, with the gateway's stable id.</summary>
public sealed record OutboundMessage(
    string MessageId,
    Recipient To,
    MessageKind Kind,
    string? Text,
    string? Caption,
    OutboundMedia? Media,
    TemplateContent? Template);
