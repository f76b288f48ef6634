using System.Security.Cryptography;
using Google.Protobuf;
using Wire = Gateway.WebProtocol.Signal.Wire;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// A ratchet message (libsignal's WhisperMessage): <c>0x33 || proto || mac8</c>, where mac8 is the first 8
/// bytes of HMAC-SHA256(macKey, senderIdentity33 || receiverIdentity33 || 0x33 || proto).
/// </summary>
public sealed class SignalMessage
{
    public const int MacLength = 8;

    private SignalMessage(byte[] serialized, byte[] senderRatchetKey, uint counter, uint previousCounter, byte[] ciphertext)
    {
        Serialized = serialized;
        SenderRatchetKey = senderRatchetKey;
        Counter = counter;
        PreviousCounter = previousCounter;
        Ciphertext = ciphertext;
    }

    public byte[] Serialized { get; }

    /// <summary>The sender's current ratchet public key, 32 bytes.</summary>
    public byte[] SenderRatchetKey { get; }

    public uint Counter { get; }

    public uint PreviousCounter { get; }

    public byte[] Ciphertext { get; }

    public static SignalMessage Parse(ReadOnlySpan<byte> bytes)
    {
        MessageVersion.Check(bytes, "message");
        if (bytes.Length < 1 + MacLength)
        {
            throw new WireFormatException("Message shorter than its version byte and MAC.");
        }

        var proto = ProtoReader.Parse(Wire.WhisperMessage.Parser, bytes[1..^MacLength], "message");
        var ratchetKey = Curve25519.FromSignalPublicKey(ProtoReader.Require(proto.HasEphemeralKey, proto.EphemeralKey, "ratchet key"));
        return new SignalMessage(
            bytes.ToArray(),
            ratchetKey,
            ProtoReader.Require(proto.HasCounter, proto.Counter, "counter"),
            proto.HasPreviousCounter ? proto.PreviousCounter : 0,
            ProtoReader.Require(proto.HasCiphertext, proto.Ciphertext, "ciphertext"));
    }

    internal static SignalMessage Create(
        ReadOnlySpan<byte> macKey,
        byte[] senderRatchetKey,
        uint counter,
        uint previousCounter,
        byte[] ciphertext,
        ReadOnlySpan<byte> senderIdentityKey,
        ReadOnlySpan<byte> receiverIdentityKey)
    {
        var proto = new Wire.WhisperMessage
        {
            EphemeralKey = ByteString.CopyFrom(Curve25519.ToSignalPublicKey(senderRatchetKey)),
            Counter = counter,
            PreviousCounter = previousCounter,
            Ciphertext = ByteString.CopyFrom(ciphertext),
        };
        var protoLength = proto.CalculateSize();
        var serialized = new byte[1 + protoLength + MacLength];
        serialized[0] = MessageVersion.Byte;
        proto.WriteTo(serialized.AsSpan(1, protoLength));
        Span<byte> mac = stackalloc byte[32];
        ComputeMac(macKey, senderIdentityKey, receiverIdentityKey, serialized.AsSpan(0, 1 + protoLength), mac);
        mac[..MacLength].CopyTo(serialized.AsSpan(1 + protoLength));
        return new SignalMessage(serialized, senderRatchetKey, counter, previousCounter, ciphertext);
    }

    internal bool VerifyMac(ReadOnlySpan<byte> macKey, ReadOnlySpan<byte> senderIdentityKey, ReadOnlySpan<byte> receiverIdentityKey)
    {
        Span<byte> mac = stackalloc byte[32];
        ComputeMac(macKey, senderIdentityKey, receiverIdentityKey, Serialized.AsSpan(0, Serialized.Length - MacLength), mac);
        return CryptographicOperations.FixedTimeEquals(mac[..MacLength], Serialized.AsSpan(Serialized.Length - MacLength));
    }

    private static void ComputeMac(
        ReadOnlySpan<byte> macKey,
        ReadOnlySpan<byte> senderIdentityKey,
        ReadOnlySpan<byte> receiverIdentityKey,
        ReadOnlySpan<byte> versionAndProto,
        Span<byte> mac32)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, macKey);
        Span<byte> prefix = [Curve25519.DjbKeyType];
        hmac.AppendData(prefix);
        hmac.AppendData(senderIdentityKey);
        hmac.AppendData(prefix);
        hmac.AppendData(receiverIdentityKey);
        hmac.AppendData(versionAndProto);
        hmac.GetHashAndReset(mac32);
    }
}
