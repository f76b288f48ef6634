namespace Gateway.WebProtocol.Transport;

/// <summary>
/// A connection fault. <see cref="IsTransient"/> tells the session layer whether a fresh connection may
/// succeed (retry with backoff) or whether retrying is pointless until something changes (configuration, keys).
/// </summary>
public class ConnectionException : Exception
{
    public ConnectionException()
        : this(ConnectionFaultKind.Closed, "connection closed", isTransient: true)
    {
    }

    public ConnectionException(string message)
        : this(ConnectionFaultKind.Closed, message, isTransient: true)
    {
    }

    public ConnectionException(string message, Exception innerException)
        : this(ConnectionFaultKind.Closed, message, isTransient: true, innerException)
    {
    }

    public ConnectionException(
        ConnectionFaultKind kind, string message, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        IsTransient = isTransient;
    }

    public ConnectionFaultKind Kind { get; }

    public bool IsTransient { get; }
}
