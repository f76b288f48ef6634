using System.Text.Json.Serialization;

namespace Gateway.Sessions;

/// <summary>
/// Where a tenant's connection stands. stopped -> starting -> qr | pairing_code -> connecting -> connected ->
/// reconnecting -> connected; logged_out, replaced and failed end it until the next start; qr_timeout means
/// nobody scanned within the bound and the session waits for a new start.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SessionStatus>))]
public enum SessionStatus
{
    [JsonStringEnumMemberName("stopped")]
    Stopped,
    [JsonStringEnumMemberName("starting")]
    Starting,
    [JsonStringEnumMemberName("qr")]
    Qr,
    [JsonStringEnumMemberName("pairing_code")]
    PairingCode,
    [JsonStringEnumMemberName("connecting")]
    Connecting,
    [JsonStringEnumMemberName("connected")]
    Connected,
    [JsonStringEnumMemberName("reconnecting")]
    Reconnecting,
    [JsonStringEnumMemberName("logged_out")]
    LoggedOut,
    [JsonStringEnumMemberName("replaced")]
    Replaced,
    [JsonStringEnumMemberName("failed")]
    Failed,
    [JsonStringEnumMemberName("qr_timeout")]
    QrTimeout,
}

public static class SessionStatusExtensions
{
    /// <summary>Statuses after which nothing reconnects by itself.</summary>
    public static bool IsTerminal(this SessionStatus status) =>
        status is SessionStatus.Stopped or SessionStatus.LoggedOut or SessionStatus.Replaced or SessionStatus.Failed or SessionStatus.QrTimeout;

    public static string WireName(this SessionStatus status) => status switch
    {
        SessionStatus.Stopped => "stopped",
        SessionStatus.Starting => "starting",
        SessionStatus.Qr => "qr",
        SessionStatus.PairingCode => "pairing_code",
        SessionStatus.Connecting => "connecting",
        SessionStatus.Connected => "connected",
        SessionStatus.Reconnecting => "reconnecting",
        SessionStatus.LoggedOut => "logged_out",
        SessionStatus.Replaced => "replaced",
        SessionStatus.Failed => "failed",
        SessionStatus.QrTimeout => "qr_timeout",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
