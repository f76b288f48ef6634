using Gateway.Providers.Cloud;

namespace Gateway.Sessions;

/// <summary>A tenant's webhook: where, which events, and the secrets that sign (newest first).</summary>
public sealed record TenantWebhookSettings(string Url, IReadOnlyList<string>? Events, IReadOnlyList<string> Secrets);

/// <summary>
/// What a tenant was started with, kept beside its session store so a restart brings it back the same way:
/// the provider, the Cloud API credentials for cloud tenants, and the tenant's own webhook.
/// </summary>
public sealed record TenantSettings(
    string Provider,
    CloudCredentials? Cloud,
    TenantWebhookSettings? Webhook,
    DateTimeOffset CreatedAt,
    bool AutoStart = true)
{
    public const string WebProvider = "web";
}
