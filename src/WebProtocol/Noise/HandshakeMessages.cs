using Gateway.WebProtocol.Proto;
using Google.Protobuf;

namespace Gateway.WebProtocol.Noise;

/// <summary>Parsing of handshake protobufs with every failure mapped to <see cref="HandshakeFailure.MalformedMessage"/>.</summary>
internal static class HandshakeMessages
{
    public static HandshakeMessage Parse(ReadOnlySpan<byte> message)
    {
        try
        {
            return HandshakeMessage.Parser.ParseFrom(message);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new NoiseHandshakeException(HandshakeFailure.MalformedMessage, "handshake message is not decodable", ex);
        }
    }

    public static byte[] RequireKey(ByteString? value, string what)
    {
        if (value is null || value.Length != NoiseProtocol.KeyLength)
        {
            throw new NoiseHandshakeException(HandshakeFailure.MalformedMessage, $"{what} is missing or not 32 bytes");
        }

        return value.ToByteArray();
    }

    public static ReadOnlySpan<byte> Require(bool present, ByteString value, string what)
    {
        if (!present)
        {
            throw new NoiseHandshakeException(HandshakeFailure.MalformedMessage, $"{what} is missing");
        }

        return value.Span;
    }
}
