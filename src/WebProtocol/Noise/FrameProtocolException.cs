namespace Gateway.WebProtocol.Noise;

/// <summary>
/// The frame layer's protocol error: the byte stream cannot be split into frames (oversize length, bad intro).
/// The connection cannot recover from it; the caller closes the socket.
/// </summary>
public sealed class FrameProtocolException : Exception
{
    public FrameProtocolException()
        : this(FrameError.BadIntroHeader, "bad frame stream")
    {
    }

    public FrameProtocolException(string message)
        : this(FrameError.BadIntroHeader, message)
    {
    }

    public FrameProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = FrameError.BadIntroHeader;
    }

    public FrameProtocolException(FrameError code, string message)
        : base(message)
    {
        Code = code;
    }

    public FrameError Code { get; }
}
