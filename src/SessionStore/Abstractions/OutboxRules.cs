namespace Gateway.SessionStore.Abstractions;

/// <summary>Argument checks and limits shared by every <see cref="IWebhookOutbox"/> implementation.</summary>
public static class OutboxRules
{
    /// <summary>Error texts are cut to this many characters so a log line stays a log line.</summary>
    public const int MaxErrorLength = 300;

    public static void Validate(NewOutboxEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentException.ThrowIfNullOrEmpty(item.EventId, nameof(item));
        ArgumentException.ThrowIfNullOrEmpty(item.EventType, nameof(item));
        ArgumentNullException.ThrowIfNull(item.Payload, nameof(item));
    }

    public static void ValidateMax(int max) => ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);

    public static string? Clip(string? error) =>
        error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error;
}
