using Gateway.WebProtocol.Media;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Types;
using Google.Protobuf;

namespace Gateway.WebProtocol.Client;

/// <summary>The message being answered: its id, who wrote it, and its content (shown quoted on the phone).</summary>
public sealed record QuotedMessage(string Id, Jid Author, Message? Content = null)
{
    internal ContextInfo ToContextInfo()
    {
        var context = new ContextInfo { StanzaId = Id, Participant = Author.ToNonDevice().ToString() };
        if (Content is not null)
        {
            context.QuotedMessage = Content;
        }

        return context;
    }
}

/// <summary>A file to send: the bytes and how the phone should show them.</summary>
public sealed record MediaContent(MediaKind Kind, ReadOnlyMemory<byte> Data, string MimeType)
{
    public string? Caption { get; init; }

    /// <summary>Documents: the name the recipient sees.</summary>
    public string? FileName { get; init; }

    /// <summary>Audio: a push-to-talk voice note rather than a music file.</summary>
    public bool VoiceNote { get; init; }

    public uint? Seconds { get; init; }

    public uint? Width { get; init; }

    public uint? Height { get; init; }

    public QuotedMessage? Quoted { get; init; }
}

/// <summary>Builds the Message protobufs this client sends.</summary>
public static class OutgoingContent
{
    /// <summary>Text goes out as extendedTextMessage, as WhatsApp Web sends it.</summary>
    public static Message Text(string text, QuotedMessage? quoted = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var extended = new Message.Types.ExtendedTextMessage { Text = text };
        if (quoted is not null)
        {
            extended.ContextInfo = quoted.ToContextInfo();
        }

        return new Message { ExtendedTextMessage = extended };
    }

    /// <summary>The media message for an uploaded file.</summary>
    public static Message Media(MediaContent content, EncryptedMedia encrypted, MediaUploadResult upload, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(encrypted);
        ArgumentNullException.ThrowIfNull(upload);
        var key = ByteString.CopyFrom(encrypted.MediaKey);
        var sha = ByteString.CopyFrom(encrypted.FileSha256);
        var encSha = ByteString.CopyFrom(encrypted.FileEncSha256);
        var length = (ulong)encrypted.FileLength;
        var keyTime = now.ToUnixTimeSeconds();
        var context = content.Quoted?.ToContextInfo();
        switch (content.Kind)
        {
            case MediaKind.Image:
                var image = new Message.Types.ImageMessage
                {
                    Url = upload.Url, DirectPath = upload.DirectPath, Mimetype = content.MimeType, MediaKey = key,
                    FileSha256 = sha, FileEncSha256 = encSha, FileLength = length, MediaKeyTimestamp = keyTime,
                };
                if (content.Caption is { } imageCaption) { image.Caption = imageCaption; }
                if (content.Width is { } w) { image.Width = w; }
                if (content.Height is { } h) { image.Height = h; }
                if (context is not null) { image.ContextInfo = context; }
                return new Message { ImageMessage = image };
            case MediaKind.Video:
                var video = new Message.Types.VideoMessage
                {
                    Url = upload.Url, DirectPath = upload.DirectPath, Mimetype = content.MimeType, MediaKey = key,
                    FileSha256 = sha, FileEncSha256 = encSha, FileLength = length, MediaKeyTimestamp = keyTime,
                };
                if (content.Caption is { } videoCaption) { video.Caption = videoCaption; }
                if (content.Seconds is { } videoSeconds) { video.Seconds = videoSeconds; }
                if (context is not null) { video.ContextInfo = context; }
                return new Message { VideoMessage = video };
            case MediaKind.Audio:
                var audio = new Message.Types.AudioMessage
                {
                    Url = upload.Url, DirectPath = upload.DirectPath, Mimetype = content.MimeType, MediaKey = key,
                    FileSha256 = sha, FileEncSha256 = encSha, FileLength = length, MediaKeyTimestamp = keyTime,
                    Ptt = content.VoiceNote,
                };
                if (content.Seconds is { } audioSeconds) { audio.Seconds = audioSeconds; }
                if (context is not null) { audio.ContextInfo = context; }
                return new Message { AudioMessage = audio };
            case MediaKind.Document:
                var document = new Message.Types.DocumentMessage
                {
                    Url = upload.Url, DirectPath = upload.DirectPath, Mimetype = content.MimeType, MediaKey = key,
                    FileSha256 = sha, FileEncSha256 = encSha, FileLength = length, MediaKeyTimestamp = keyTime,
                    FileName = content.FileName ?? "file", Title = content.FileName ?? "file",
                };
                if (content.Caption is { } documentCaption) { document.Caption = documentCaption; }
                if (context is not null) { document.ContextInfo = context; }
                return new Message { DocumentMessage = document };
            default:
                throw new ArgumentOutOfRangeException(nameof(content));
        }
    }

    /// <summary>The stanza type attribute and the enc mediatype for a message (Baileys' getMessageType / getMediaType).</summary>
    internal static (string Type, string? MediaType) Classify(Message message) =>
        message.ImageMessage is not null ? ("media", "image")
        : message.VideoMessage is not null ? ("media", "video")
        : message.AudioMessage is { } audio ? ("media", audio.Ptt ? "ptt" : "audio")
        : message.DocumentMessage is not null ? ("media", "document")
        : ("text", null);

    /// <summary>The media fields of a received message, whichever kind it is.</summary>
    public static (MediaKind Kind, string? Url, string? DirectPath, byte[] MediaKey, byte[] FileEncSha256, byte[] FileSha256)? MediaOf(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message switch
        {
            { ImageMessage: { } m } => (MediaKind.Image, m.Url, m.DirectPath, m.MediaKey.ToByteArray(), m.FileEncSha256.ToByteArray(), m.FileSha256.ToByteArray()),
            { VideoMessage: { } m } => (MediaKind.Video, m.Url, m.DirectPath, m.MediaKey.ToByteArray(), m.FileEncSha256.ToByteArray(), m.FileSha256.ToByteArray()),
            { AudioMessage: { } m } => (MediaKind.Audio, m.Url, m.DirectPath, m.MediaKey.ToByteArray(), m.FileEncSha256.ToByteArray(), m.FileSha256.ToByteArray()),
            { DocumentMessage: { } m } => (MediaKind.Document, m.Url, m.DirectPath, m.MediaKey.ToByteArray(), m.FileEncSha256.ToByteArray(), m.FileSha256.ToByteArray()),
            _ => null,
        };
    }
}
