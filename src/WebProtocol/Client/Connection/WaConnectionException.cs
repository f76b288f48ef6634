using Gateway.WebProtocol.Transport;

namespace Gateway.WebProtocol.Client;

/// <summary>A connection ended for a protocol reason (login refused, stream error, dead keepalive...).</summary>
public sealed class WaConnectionException : ConnectionException
{
    public WaConnectionException()
        : this(new DisconnectReason(DisconnectKind.ConnectionLost))
    {
    }

    public WaConnectionException(string message)
        : this(new DisconnectReason(DisconnectKind.ConnectionLost, Detail: message))
    {
    }

    public WaConnectionException(string message, Exception innerException)
        : base(ConnectionFaultKind.Closed, message, isTransient: true, innerException)
    {
        Reason = new DisconnectReason(DisconnectKind.ConnectionLost, Detail: message);
    }

    public WaConnectionException(DisconnectReason reason, Exception? innerException = null)
        : base(ConnectionFaultKind.Closed, Describe(reason), (reason ?? throw new ArgumentNullException(nameof(reason))).IsTransient, innerException)
    {
        Reason = reason;
    }

    public DisconnectReason Reason { get; }

    private static string Describe(DisconnectReason? reason) =>
        reason is null ? "connection ended" : $"connection ended: {reason.Kind}{(reason.Code is { } code ? $" ({code})" : "")}";
}
