namespace Gateway.Webhooks;

/// <summary>
/// Where a tenant's events go: the URL, the secrets that sign them (newest first; two while rotating) and the
/// events it wants (null: all). <paramref name="OperatorOwned"/> marks the operator's own webhook
/// (GATEWAY_WEBHOOK_URL), which the outbound policy for callers' URLs does not restrict.
/// </summary>
public sealed record WebhookTarget(Uri Url, IReadOnlyList<WebhookSecret> Secrets, IReadOnlySet<string>? Events, bool OperatorOwned = false)
{
    public bool Wants(string eventName) => Events is null || Events.Contains(eventName);
}
