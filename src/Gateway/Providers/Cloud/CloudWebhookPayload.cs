using System.Globalization;
using System.Text.Json;
using Gateway.Events;

namespace Gateway.Providers.Cloud;

/// <summary>What one change of a Cloud webhook says, for the tenant that owns the phone number id.</summary>
public sealed record CloudNotification(string PhoneNumberId, InboundMessage? Message, MessageStatusReport? Status);

/// <summary>
/// Reads Meta's webhook body (object whatsapp_business_account, entry[].changes[].value with messages and
/// statuses). Unknown fields and kinds are skipped, malformed JSON is a FormatException.
/// </summary>
public static class CloudWebhookPayload
{
    private static readonly JsonDocumentOptions Limits = new() { MaxDepth = 32 };

    public static IReadOnlyList<string> PhoneNumberIds(ReadOnlySpan<byte> body) =>
        [.. Parse(body).Select(n => n.PhoneNumberId).Distinct(StringComparer.Ordinal)];

    public static IReadOnlyList<CloudNotification> Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), Limits);
        }
        catch (JsonException error)
        {
            throw new FormatException("The webhook body is not JSON.", error);
        }

        using (document)
        {
            var notifications = new List<CloudNotification>();
            foreach (var value in Values(document.RootElement))
            {
                var phoneNumberId = String(value, "metadata", "phone_number_id");
                if (phoneNumberId is null)
                {
                    continue;
                }

                var names = ContactNames(value);
                foreach (var message in Array(value, "messages"))
                {
                    if (ReadMessage(message, names) is { } inbound)
                    {
                        notifications.Add(new CloudNotification(phoneNumberId, inbound, null));
                    }
                }

                foreach (var status in Array(value, "statuses"))
                {
                    if (ReadStatus(status) is { } update)
                    {
                        notifications.Add(new CloudNotification(phoneNumberId, null, update));
                    }
                }
            }

            return notifications;
        }
    }

    private static IEnumerable<JsonElement> Values(JsonElement root)
    {
        foreach (var entry in Array(root, "entry"))
        {
            foreach (var change in Array(entry, "changes"))
            {
                if (change.ValueKind == JsonValueKind.Object && change.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Object)
                {
                    yield return value;
                }
            }
        }
    }

    private static Dictionary<string, string> ContactNames(JsonElement value)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var contact in Array(value, "contacts"))
        {
            if (String(contact, "wa_id") is { } waId && String(contact, "profile", "name") is { } name)
            {
                names[waId] = name;
            }
        }

        return names;
    }

    private static InboundMessage? ReadMessage(JsonElement message, Dictionary<string, string> names)
    {
        var id = String(message, "id");
        var from = String(message, "from");
        var type = String(message, "type");
        if (id is null || from is null || type is null)
        {
            return null;
        }

        var jid = from + "@s.whatsapp.net";
        string? text = null;
        string? caption = null;
        InboundMedia? media = null;
        if (type == "text")
        {
            text = String(message, "text", "body");
        }
        else if (type is "image" or "document" or "audio" or "video" or "sticker")
        {
            caption = String(message, type, "caption");
            media = new InboundMedia(String(message, type, "mime_type"), String(message, type, "filename"), null, String(message, type, "sha256"), String(message, type, "id"));
        }

        return new InboundMessage(id, jid, null, jid, names.GetValueOrDefault(from), Timestamp(message), type, text, caption, media);
    }

    private static MessageStatusReport? ReadStatus(JsonElement status)
    {
        var id = String(status, "id");
        DeliveryStatus? kind = String(status, "status") switch
        {
            "sent" => DeliveryStatus.Sent,
            "delivered" => DeliveryStatus.Delivered,
            "read" => DeliveryStatus.Read,
            "failed" => DeliveryStatus.Failed,
            _ => null,
        };
        if (id is null || kind is null)
        {
            return null;
        }

        string? error = null;
        foreach (var item in Array(status, "errors"))
        {
            var code = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetRawText() : "?";
            error = $"{code}: {String(item, "title") ?? String(item, "message") ?? "error"}";
            break;
        }

        var recipient = String(status, "recipient_id") is { } r ? r + "@s.whatsapp.net" : null;
        return new MessageStatusReport(id, recipient, kind.Value, Timestamp(status), error);
    }

    private static DateTimeOffset Timestamp(JsonElement element) =>
        String(element, "timestamp") is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UnixEpoch;

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : [];

    private static string? String(JsonElement element, params ReadOnlySpan<string> path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
