namespace Gateway.WebProtocol.Transport;

/// <summary>What went wrong with a connection; decides <see cref="ConnectionException.IsTransient"/>.</summary>
public enum ConnectionFaultKind
{
    /// <summary>The peer closed the connection or it dropped.</summary>
    Closed = 1,

    /// <summary>The transport could not be opened (refused, DNS, TLS, HTTP upgrade).</summary>
    ConnectFailed = 2,

    /// <summary>Opening the transport took longer than the connect timeout.</summary>
    ConnectTimeout = 3,

    /// <summary>The peer broke the frame layer (oversize frame, bad intro).</summary>
    FrameProtocolViolation = 4,

    /// <summary>A transport frame failed authentication: tampered or out of order.</summary>
    FrameDecryptionFailed = 5,

    /// <summary>The Noise handshake failed; see <c>NoiseHandshakeException.Reason</c>.</summary>
    HandshakeFailed = 6,

    /// <summary>The peer did not answer a handshake step in time.</summary>
    HandshakeTimeout = 7,

    /// <summary>A direction's nonce counter is used up; the connection must be replaced.</summary>
    CounterExhausted = 8,
}
