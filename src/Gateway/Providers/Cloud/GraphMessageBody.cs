using System.Text.Json.Nodes;
using Gateway.Messaging;

namespace Gateway.Providers.Cloud;

/// <summary>Builds the JSON of POST /{phone-number-id}/messages from a gateway message, as Meta documents it.</summary>
internal static class GraphMessageBody
{
    public static JsonObject For(OutboundMessage message, string? uploadedMediaId)
    {
        var body = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = message.To.User,
        };
        switch (message.Kind)
        {
            case MessageKind.Text:
                body["type"] = "text";
                body["text"] = new JsonObject { ["preview_url"] = false, ["body"] = message.Text };
                break;
            case MessageKind.Template:
                var template = message.Template ?? throw new InvalidOperationException("A template message needs its template.");
                var templateNode = new JsonObject
                {
                    ["name"] = template.Name,
                    ["language"] = new JsonObject { ["code"] = template.Language },
                };
                if (template.Components is { } components)
                {
                    templateNode["components"] = JsonNode.Parse(components.GetRawText());
                }

                body["type"] = "template";
                body["template"] = templateNode;
                break;
            default:
                var type = TypeName(message.Kind);
                var media = message.Media ?? throw new InvalidOperationException("A media message needs its media.");
                var mediaNode = new JsonObject();
                if (uploadedMediaId is not null)
                {
                    mediaNode["id"] = uploadedMediaId;
                }
                else
                {
                    mediaNode["link"] = media.Url?.ToString() ?? throw new InvalidOperationException("Media needs a link or an uploaded id.");
                }

                // Meta refuses a caption on audio and a filename anywhere but documents.
                if (message.Caption is { } caption && message.Kind != MessageKind.Audio)
                {
                    mediaNode["caption"] = caption;
                }

                if (message.Kind == MessageKind.Document && media.FileName is { } fileName)
                {
                    mediaNode["filename"] = fileName;
                }

                body["type"] = type;
                body[type] = mediaNode;
                break;
        }

        return body;
    }

    public static string TypeName(MessageKind kind) => kind switch
    {
        MessageKind.Image => "image",
        MessageKind.Document => "document",
        MessageKind.Audio => "audio",
        MessageKind.Video => "video",
        MessageKind.Template => "template",
        _ => "text",
    };
}
