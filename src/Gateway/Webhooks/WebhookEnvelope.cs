using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Webhooks;

/// <summary>The body of every delivery: <c>{id, event, tenantId, timestamp, data}</c>.</summary>
public sealed record WebhookEnvelope(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("tenantId")] string TenantId,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("data")] JsonElement Data)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Builds an envelope around any event payload, serialised with the API's JSON conventions.</summary>
    public static WebhookEnvelope Create<T>(string id, string eventName, string tenantId, DateTimeOffset timestamp, T data) =>
        new(id, eventName, tenantId, timestamp, JsonSerializer.SerializeToElement(data, Json));

    /// <summary>The exact bytes that are signed and sent.</summary>
    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);
}
