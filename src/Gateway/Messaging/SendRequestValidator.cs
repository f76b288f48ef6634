namespace Gateway.Messaging;

/// <summary>One reason a send request is refused, named by the field it concerns.</summary>
public sealed record ValidationError(string Field, string Message);

/// <summary>
/// Turns a <see cref="SendRequest"/> into an <see cref="OutboundMessage"/> or a list of what is wrong with it.
/// Limits are the ones WhatsApp applies (text up to 65,536 characters, captions 1,024) and sizes a gateway can
/// hold in memory for one request.
/// </summary>
public static class SendRequestValidator
{
    public const int MaxTextLength = 65_536;
    public const int MaxCaptionLength = 1_024;
    public const int MaxFileNameLength = 240;
    public const int MaxMediaBytes = 16 * 1024 * 1024;

    private static readonly Dictionary<MessageKind, string[]> MimePrefixes = new()
    {
        [MessageKind.Image] = ["image/jpeg", "image/png", "image/webp"],
        [MessageKind.Video] = ["video/mp4", "video/3gpp"],
        [MessageKind.Audio] = ["audio/ogg", "audio/mpeg", "audio/mp4", "audio/aac", "audio/amr"],
        [MessageKind.Document] = [],
    };

    public static (OutboundMessage? Message, IReadOnlyList<ValidationError> Errors) Validate(SendRequest? request, string messageId)
    {
        var errors = new List<ValidationError>();
        if (request is null)
        {
            return (null, [new ValidationError("body", "A JSON body is required.")]);
        }

        if (!Recipient.TryParse(request.To, out var to))
        {
            errors.Add(new ValidationError("to", $"Expected {Recipient.Rule}."));
        }

        var kind = ParseKind(request.Type);
        if (kind is null)
        {
            errors.Add(new ValidationError("type", "Expected one of text, image, document, audio, video, template."));
            return (null, errors);
        }

        string? text = null;
        OutboundMedia? media = null;
        TemplateContent? template = null;
        switch (kind)
        {
            case MessageKind.Text:
                if (string.IsNullOrEmpty(request.Message))
                {
                    errors.Add(new ValidationError("message", "Text messages need a non-empty message."));
                }
                else if (request.Message.Length > MaxTextLength)
                {
                    errors.Add(new ValidationError("message", $"At most {MaxTextLength} characters."));
                }

                text = request.Message;
                break;
            case MessageKind.Template:
                if (string.IsNullOrWhiteSpace(request.Template?.Name) || string.IsNullOrWhiteSpace(request.Template.Language))
                {
                    errors.Add(new ValidationError("template", "Template messages need template.name and template.language."));
                }
                else
                {
                    template = new TemplateContent(request.Template.Name, request.Template.Language, request.Template.Components);
                }

                break;
            default:
                media = ValidateMedia(kind.Value, request, errors);
                break;
        }

        var caption = request.Caption ?? (kind is MessageKind.Text or MessageKind.Template ? null : request.Message);
        if (caption is { Length: > MaxCaptionLength })
        {
            errors.Add(new ValidationError("caption", $"At most {MaxCaptionLength} characters."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new OutboundMessage(messageId, to!, kind.Value, text, kind is MessageKind.Text ? null : caption, media, template), errors);
    }

    private static OutboundMedia? ValidateMedia(MessageKind kind, SendRequest request, List<ValidationError> errors)
    {
        var hasUrl = !string.IsNullOrWhiteSpace(request.MediaUrl);
        var hasBase64 = !string.IsNullOrWhiteSpace(request.MediaBase64);
        if (hasUrl == hasBase64)
        {
            errors.Add(new ValidationError("media", "Give exactly one of mediaUrl and mediaBase64."));
            return null;
        }

        Uri? url = null;
        byte[]? content = null;
        if (hasUrl)
        {
            if (!Uri.TryCreate(request.MediaUrl, UriKind.Absolute, out url) || url.Scheme is not ("https" or "http"))
            {
                errors.Add(new ValidationError("mediaUrl", "Expected an absolute http(s) URL."));
                return null;
            }
        }
        else
        {
            content = DecodeBase64(request.MediaBase64!, errors);
            if (content is null)
            {
                return null;
            }
        }

        var mimeType = request.MimeType?.Trim().ToLowerInvariant() ?? DefaultMime(kind, request.FileName);
        if (mimeType is null || !mimeType.Contains('/', StringComparison.Ordinal) || mimeType.Length > 100)
        {
            errors.Add(new ValidationError("mimeType", "A media type such as image/jpeg is required for this message."));
            return null;
        }

        var allowed = MimePrefixes[kind];
        if (allowed.Length > 0 && !allowed.Any(a => mimeType.StartsWith(a, StringComparison.Ordinal)))
        {
            errors.Add(new ValidationError("mimeType", $"Unsupported media type for {kind.ToString().ToLowerInvariant()}: expected one of {string.Join(", ", allowed)}."));
            return null;
        }

        var fileName = request.FileName;
        if (fileName is not null && (fileName.Length > MaxFileNameLength || fileName.IndexOfAny(['/', '\\', '\0']) >= 0))
        {
            errors.Add(new ValidationError("fileName", $"A plain file name of at most {MaxFileNameLength} characters."));
            return null;
        }

        return new OutboundMedia(mimeType, content, url, fileName);
    }

    private static byte[]? DecodeBase64(string value, List<ValidationError> errors)
    {
        // Accept data URLs as browsers produce them.
        var comma = value.StartsWith("data:", StringComparison.Ordinal) ? value.IndexOf(',', StringComparison.Ordinal) : -1;
        var payload = comma >= 0 ? value[(comma + 1)..] : value;
        if (payload.Length / 4 * 3 > MaxMediaBytes + 3)
        {
            errors.Add(new ValidationError("mediaBase64", $"Media may be at most {MaxMediaBytes} bytes."));
            return null;
        }

        var buffer = new byte[(payload.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64String(payload, buffer, out var written) || written == 0)
        {
            errors.Add(new ValidationError("mediaBase64", "Not valid base64."));
            return null;
        }

        return buffer[..written];
    }

    private static string? DefaultMime(MessageKind kind, string? fileName) => kind switch
    {
        MessageKind.Image => "image/jpeg",
        MessageKind.Video => "video/mp4",
        MessageKind.Audio => "audio/ogg; codecs=opus",
        MessageKind.Document => Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
        {
            ".pdf" => "application/pdf",
            ".txt" => "text/plain",
            ".csv" => "text/csv",
            ".zip" => "application/zip",
            ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _ => "application/octet-stream",
        },
        _ => null,
    };

    private static MessageKind? ParseKind(string? type) => type?.Trim().ToLowerInvariant() switch
    {
        null or "" or "text" => MessageKind.Text,
        "image" => MessageKind.Image,
        "document" => MessageKind.Document,
        "audio" => MessageKind.Audio,
        "video" => MessageKind.Video,
        "template" => MessageKind.Template,
        _ => null,
    };
}
