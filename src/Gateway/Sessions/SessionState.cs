namespace Gateway.Sessions;

/// <summary>Why and when the connection last dropped, with WhatsApp's code (401, 408, 440, 515, ...).</summary>
public sealed record DisconnectInfo(int Code, string Reason, DateTimeOffset At);

/// <summary>A QR to show: the text to encode and when it stops being scannable.</summary>
public sealed record QrCodeInfo(string Text, DateTimeOffset ExpiresAt);

/// <summary>An immutable snapshot of one tenant's session, as the status endpoint and events report it.</summary>
public sealed record SessionState(
    string TenantId,
    string Provider,
    SessionStatus Status,
    string? PhoneNumber,
    string? Lid,
    QrCodeInfo? Qr,
    string? PairingCode,
    DateTimeOffset? LastActivity,
    DisconnectInfo? LastDisconnect)
{
    public static SessionState Initial(string tenantId, string provider) =>
        new(tenantId, provider, SessionStatus.Stopped, null, null, null, null, null, null);

    public bool Connected => Status == SessionStatus.Connected;
}
