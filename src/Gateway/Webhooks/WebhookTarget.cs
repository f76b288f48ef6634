namespace Gateway.Webhooks;

/// <summary>
/// Where a tenant's events go: the URL, the secrets that sign them (newest first; two while rotating) and the
/// events it wants (null: all).
/// </summary>
public sealed record WebhookTarget(Uri Url, IReadOnlyList<WebhookSecret> Secrets, IReadOnlySet<string>? Events)
{
    public bool Wants(string eventName) => Events is null || Events.Contains(eventName);
}
