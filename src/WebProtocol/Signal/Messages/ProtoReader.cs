using Google.Protobuf;

namespace Gateway.WebProtocol.Signal;

internal static class ProtoReader
{
    public static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> bytes, string what)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new WireFormatException($"Malformed {what}.", e);
        }
    }

    public static byte[] Require(bool present, ByteString value, string field)
    {
        if (!present)
        {
            throw new WireFormatException($"Missing {field}.");
        }

        return value.ToByteArray();
    }

    public static uint Require(bool present, uint value, string field) =>
        present ? value : throw new WireFormatException($"Missing {field}.");
}
