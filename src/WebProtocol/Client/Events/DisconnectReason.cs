namespace Gateway.WebProtocol.Client;

/// <summary>Why a connection ended.</summary>
public enum DisconnectKind
{
    /// <summary>Closed by the application.</summary>
    ClientClosed,

    /// <summary>The socket dropped, the peer closed it, or a frame was broken.</summary>
    ConnectionLost,

    /// <summary>No frame within keepalive interval + grace: the connection looked open but was dead.</summary>
    KeepAliveTimeout,

    /// <summary>401 or device_removed: this device is unlinked; a new pairing is needed.</summary>
    LoggedOut,

    /// <summary>403: the account may not use this client.</summary>
    Forbidden,

    /// <summary>440: another connection with the same credentials took over.</summary>
    Replaced,

    /// <summary>Every QR code expired unscanned.</summary>
    QrTimeout,

    /// <summary>The server sent another stream error or failure code (408, 411, 428, 500, 503, 515 outside pairing...).</summary>
    ServerError,

    /// <summary>The pairing answer did not verify; nothing was stored.</summary>
    PairingFailed,
}

/// <summary>A typed disconnect: what happened, the server's code if any, and whether reconnecting can help.</summary>
public sealed record DisconnectReason(DisconnectKind Kind, int? Code = null, string? Detail = null)
{
    /// <summary>A fresh connection with the same credentials may succeed (the session layer retries with backoff).</summary>
    public bool IsTransient => Kind is DisconnectKind.ConnectionLost or DisconnectKind.KeepAliveTimeout or DisconnectKind.ServerError;

    /// <summary>Whether the session layer should reconnect: transient faults only, never after logout or replacement.</summary>
    public bool ShouldReconnect => IsTransient;

    /// <summary>The stored credentials are no longer valid.</summary>
    public bool CredentialsInvalid => Kind is DisconnectKind.LoggedOut or DisconnectKind.Forbidden;

    /// <summary>Maps a <c>stream:error</c> or <c>failure</c> code to a reason (protocol notes section 5).</summary>
    public static DisconnectReason FromServerCode(int code, string? detail = null) => code switch
    {
        401 => new(DisconnectKind.LoggedOut, code, detail),
        403 => new(DisconnectKind.Forbidden, code, detail),
        440 => new(DisconnectKind.Replaced, code, detail),
        _ => new(DisconnectKind.ServerError, code, detail),
    };
}
