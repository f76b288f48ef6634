using Google.Protobuf;

namespace Gateway.WebProtocol.Signal;

/// <summary>Persisted records are one version byte followed by a protobuf message.</summary>
internal static class RecordSerialization
{
    public static byte[] Serialize(byte version, IMessage message)
    {
        var size = message.CalculateSize();
        var bytes = new byte[size + 1];
        bytes[0] = version;
        message.WriteTo(bytes.AsSpan(1));
        return bytes;
    }

    public static T Deserialize<T>(ReadOnlySpan<byte> bytes, byte version, MessageParser<T> parser, string what)
        where T : IMessage<T>
    {
        if (bytes.IsEmpty)
        {
            throw new WireFormatException($"Empty {what}.");
        }

        if (bytes[0] != version)
        {
            throw new WireFormatException($"Unknown {what} version {bytes[0]}.");
        }

        try
        {
            return parser.ParseFrom(bytes[1..]);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new WireFormatException($"Malformed {what}.", e);
        }
    }
}
