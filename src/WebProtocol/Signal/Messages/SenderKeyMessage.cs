using Google.Protobuf;
using Wire = Gateway.WebProtocol.Signal.Wire;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// A group message: <c>0x33 || proto{id, iteration, ciphertext} || signature64</c>, the XEdDSA signature of
/// the sender's signing key over everything before it.
/// </summary>
public sealed class SenderKeyMessage
{
    private SenderKeyMessage(byte[] serialized, uint keyId, uint iteration, byte[] ciphertext)
    {
        Serialized = serialized;
        KeyId = keyId;
        Iteration = iteration;
        Ciphertext = ciphertext;
    }

    public byte[] Serialized { get; }

    public uint KeyId { get; }

    public uint Iteration { get; }

    public byte[] Ciphertext { get; }

    public static SenderKeyMessage Parse(ReadOnlySpan<byte> bytes)
    {
        MessageVersion.Check(bytes, "sender key message");
        if (bytes.Length < 1 + Curve25519.SignatureLength)
        {
            throw new WireFormatException("Sender key message shorter than its version byte and signature.");
        }

        var proto = ProtoReader.Parse(Wire.SenderKeyMessage.Parser, bytes[1..^Curve25519.SignatureLength], "sender key message");
        return new SenderKeyMessage(
            bytes.ToArray(),
            ProtoReader.Require(proto.HasId, proto.Id, "key id"),
            ProtoReader.Require(proto.HasIteration, proto.Iteration, "iteration"),
            ProtoReader.Require(proto.HasCiphertext, proto.Ciphertext, "ciphertext"));
    }

    internal static SenderKeyMessage Create(uint keyId, uint iteration, byte[] ciphertext, ReadOnlySpan<byte> signingPrivateKey)
    {
        var proto = new Wire.SenderKeyMessage { Id = keyId, Iteration = iteration, Ciphertext = ByteString.CopyFrom(ciphertext) };
        var length = proto.CalculateSize();
        var serialized = new byte[1 + length + Curve25519.SignatureLength];
        serialized[0] = MessageVersion.Byte;
        proto.WriteTo(serialized.AsSpan(1, length));
        Curve25519.CalculateSignature(signingPrivateKey, serialized.AsSpan(0, 1 + length)).CopyTo(serialized.AsSpan(1 + length));
        return new SenderKeyMessage(serialized, keyId, iteration, ciphertext);
    }

    internal bool VerifySignature(ReadOnlySpan<byte> signingPublicKey) =>
        Curve25519.VerifySignature(
            signingPublicKey,
            Serialized.AsSpan(0, Serialized.Length - Curve25519.SignatureLength),
            Serialized.AsSpan(Serialized.Length - Curve25519.SignatureLength));
}
