namespace Gateway.WebProtocol;

/// <summary>
/// The one exception a decoder of wire data throws: the bytes are malformed, truncated or oversized. Decoders
/// never let IndexOutOfRange, overflow or allocation failures escape; they map them to this.
/// </summary>
public sealed class WireFormatException : Exception
{
    public WireFormatException()
    {
    }

    public WireFormatException(string message)
        : base(message)
    {
    }

    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
