namespace Gateway.WebProtocol.Signal;

/// <summary>The version byte every Signal message starts with: current version 3 in both nibbles.</summary>
internal static class MessageVersion
{
    public const byte Current = 3;
    public const byte Byte = (Current << 4) | Current;

    /// <summary>Checks the first byte; empty input is malformed, another version unsupported.</summary>
    public static void Check(ReadOnlySpan<byte> message, string what)
    {
        if (message.IsEmpty)
        {
            throw new WireFormatException($"Empty {what}.");
        }

        if (message[0] >> 4 != Current)
        {
            throw new SignalProtocolException(SignalError.UnsupportedVersion, $"Unsupported {what} version {message[0] >> 4}.");
        }
    }
}
