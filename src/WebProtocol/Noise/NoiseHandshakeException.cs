using Gateway.WebProtocol.Transport;

namespace Gateway.WebProtocol.Noise;

/// <summary>
/// The Noise handshake was refused. Never transient: the same server answer will fail the same way, so
/// the session layer should surface it instead of reconnecting in a loop.
/// </summary>
public sealed class NoiseHandshakeException : ConnectionException
{
    public NoiseHandshakeException()
        : this(HandshakeFailure.MalformedMessage, "handshake failed")
    {
    }

    public NoiseHandshakeException(string message)
        : this(HandshakeFailure.MalformedMessage, message)
    {
    }

    public NoiseHandshakeException(string message, Exception innerException)
        : this(HandshakeFailure.MalformedMessage, message, innerException)
    {
    }

    public NoiseHandshakeException(HandshakeFailure reason, string message, Exception? innerException = null)
        : base(ConnectionFaultKind.HandshakeFailed, $"noise handshake failed ({reason}): {message}", false, innerException)
    {
        Reason = reason;
    }

    public HandshakeFailure Reason { get; }
}
