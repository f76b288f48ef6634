using Gateway.Events;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Proto;

namespace Gateway.Providers.Web;

/// <summary>Turns a decrypted WhatsApp message into the gateway's provider-neutral inbound message.</summary>
internal static class ReceivedMessageMapper
{
    public static InboundMessage Map(ReceivedMessage received)
    {
        var content = received.Content;
        var (type, media) = content switch
        {
            { ImageMessage: { } image } => ("image", new InboundMedia(image.Mimetype, null, (long)image.FileLength, Hash(image.FileSha256), null)),
            { VideoMessage: { } video } => ("video", new InboundMedia(video.Mimetype, null, (long)video.FileLength, Hash(video.FileSha256), null)),
            { AudioMessage: { } audio } => ("audio", new InboundMedia(audio.Mimetype, null, (long)audio.FileLength, Hash(audio.FileSha256), null)),
            { DocumentMessage: { } document } => ("document", new InboundMedia(document.Mimetype, document.FileName, (long)document.FileLength, Hash(document.FileSha256), null)),
            _ when content.HasConversation || content.ExtendedTextMessage is not null => ("text", (InboundMedia?)null),
            _ => ("unsupported", null),
        };
        var from = (received.SenderPn ?? received.Sender).ToNonDevice().ToString();
        var text = type == "text" ? received.Text : null;
        var caption = type is "image" or "video" or "document" ? received.Text : null;
        return new InboundMessage(
            received.Id,
            from,
            received.SenderLid?.ToNonDevice().ToString(),
            received.Chat.ToNonDevice().ToString(),
            received.PushName,
            received.Timestamp,
            type,
            text,
            caption,
            media);
    }

    private static string? Hash(Google.Protobuf.ByteString value) => value.IsEmpty ? null : Convert.ToBase64String(value.ToByteArray());
}
