namespace Gateway.WebProtocol.Client;

/// <summary>What <see cref="WaClient.ConnectAsync"/> achieved.</summary>
public enum ConnectOutcome
{
    /// <summary>Logged in with stored credentials; messages can be sent.</summary>
    LoggedIn,

    /// <summary>A new device: QR codes (or a pairing code on request) follow on the event stream.</summary>
    AwaitingPairing,
}
