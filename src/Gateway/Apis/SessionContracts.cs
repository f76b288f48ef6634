using Gateway.Sessions;

namespace Gateway.Apis;

/// <summary>Cloud API credentials given at start for a cloud tenant.</summary>
public sealed record CloudStartRequest(string? PhoneNumberId, string? AccessToken, string? AppSecret, string? VerifyToken);

/// <summary>Body of POST start (optional): which provider; web when omitted.</summary>
public sealed record StartRequest(string? Provider, CloudStartRequest? Cloud);

public sealed record StartResponse(bool Success, string SessionId, string TenantId, string Status, string? QrCode);

public sealed record StatusResponse(
    string TenantId,
    string Provider,
    bool Connected,
    string Status,
    string? PhoneNumber,
    string? Lid,
    string? QrCode,
    string? PairingCode,
    DateTimeOffset? LastActivity,
    DisconnectInfo? LastDisconnect);

public sealed record QrResponse(string Qr, string DataUrl, DateTimeOffset ExpiresAt);

public sealed record PairingCodeRequest(string? PhoneNumber);

public sealed record PairingCodeResponse(string Code);

/// <summary>PUT webhook: where and which events (all when omitted).</summary>
public sealed record WebhookRequest(string? Url, IReadOnlyList<string>? Events);

/// <summary>The secret is in this answer only; the previous one stays valid until the next change.</summary>
public sealed record WebhookResponse(string Url, IReadOnlyList<string>? Events, string Secret);
