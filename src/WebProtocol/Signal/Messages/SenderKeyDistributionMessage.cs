using Google.Protobuf;
using Wire = Gateway.WebProtocol.Signal.Wire;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// Hands a sender's group chain to a member: <c>0x33 || proto{id, iteration, chainKey, signingKey}</c>. Sent
/// inside a 1:1 Signal message, so it needs no signature of its own.
/// </summary>
public sealed class SenderKeyDistributionMessage
{
    private SenderKeyDistributionMessage(byte[] serialized, uint keyId, uint iteration, byte[] chainKey, byte[] signingKey)
    {
        Serialized = serialized;
        KeyId = keyId;
        Iteration = iteration;
        ChainKey = chainKey;
        SigningKey = signingKey;
    }

    public byte[] Serialized { get; }

    public uint KeyId { get; }

    public uint Iteration { get; }

    /// <summary>The chain key at <see cref="Iteration"/>, 32 bytes.</summary>
    public byte[] ChainKey { get; }

    /// <summary>The sender's signing public key, 32 bytes.</summary>
    public byte[] SigningKey { get; }

    public static SenderKeyDistributionMessage Parse(ReadOnlySpan<byte> bytes)
    {
        MessageVersion.Check(bytes, "sender key distribution message");
        var proto = ProtoReader.Parse(Wire.SenderKeyDistributionMessage.Parser, bytes[1..], "sender key distribution message");
        var chainKey = ProtoReader.Require(proto.HasChainKey, proto.ChainKey, "chain key");
        if (chainKey.Length != 32)
        {
            throw new WireFormatException("A sender chain key is 32 bytes.");
        }

        return new SenderKeyDistributionMessage(
            bytes.ToArray(),
            ProtoReader.Require(proto.HasId, proto.Id, "key id"),
            ProtoReader.Require(proto.HasIteration, proto.Iteration, "iteration"),
            chainKey,
            Curve25519.FromSignalPublicKey(ProtoReader.Require(proto.HasSigningKey, proto.SigningKey, "signing key")));
    }

    internal static SenderKeyDistributionMessage Create(uint keyId, uint iteration, byte[] chainKey, byte[] signingKey)
    {
        var proto = new Wire.SenderKeyDistributionMessage
        {
            Id = keyId,
            Iteration = iteration,
            ChainKey = ByteString.CopyFrom(chainKey),
            SigningKey = ByteString.CopyFrom(Curve25519.ToSignalPublicKey(signingKey)),
        };
        var serialized = new byte[1 + proto.CalculateSize()];
        serialized[0] = MessageVersion.Byte;
        proto.WriteTo(serialized.AsSpan(1));
        return new SenderKeyDistributionMessage(serialized, keyId, iteration, chainKey, signingKey);
    }
}
