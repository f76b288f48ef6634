using Google.Protobuf;
using Wire = Gateway.WebProtocol.Signal.Wire;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// The first messages of a session we initiated (libsignal's PreKeyWhisperMessage): <c>0x33 || proto</c>
/// carrying what the receiver needs to run X3DH, and the first <see cref="SignalMessage"/>.
/// </summary>
public sealed class PreKeySignalMessage
{
    private PreKeySignalMessage(
        byte[] serialized,
        uint registrationId,
        uint? preKeyId,
        uint signedPreKeyId,
        byte[] baseKey,
        byte[] identityKey,
        SignalMessage message)
    {
        Serialized = serialized;
        RegistrationId = registrationId;
        PreKeyId = preKeyId;
        SignedPreKeyId = signedPreKeyId;
        BaseKey = baseKey;
        IdentityKey = identityKey;
        Message = message;
    }

    public byte[] Serialized { get; }

    public uint RegistrationId { get; }

    public uint? PreKeyId { get; }

    public uint SignedPreKeyId { get; }

    /// <summary>The initiator's base key, 32 bytes.</summary>
    public byte[] BaseKey { get; }

    /// <summary>The initiator's identity key, 32 bytes.</summary>
    public byte[] IdentityKey { get; }

    public SignalMessage Message { get; }

    public static PreKeySignalMessage Parse(ReadOnlySpan<byte> bytes)
    {
        MessageVersion.Check(bytes, "prekey message");
        var proto = ProtoReader.Parse(Wire.PreKeyWhisperMessage.Parser, bytes[1..], "prekey message");
        return new PreKeySignalMessage(
            bytes.ToArray(),
            proto.HasRegistrationId ? proto.RegistrationId : 0,
            proto.HasPreKeyId ? proto.PreKeyId : null,
            ProtoReader.Require(proto.HasSignedPreKeyId, proto.SignedPreKeyId, "signed prekey id"),
            Curve25519.FromSignalPublicKey(ProtoReader.Require(proto.HasBaseKey, proto.BaseKey, "base key")),
            Curve25519.FromSignalPublicKey(ProtoReader.Require(proto.HasIdentityKey, proto.IdentityKey, "identity key")),
            SignalMessage.Parse(ProtoReader.Require(proto.HasMessage, proto.Message, "message")));
    }

    internal static PreKeySignalMessage Create(
        uint registrationId, uint? preKeyId, uint signedPreKeyId, byte[] baseKey, byte[] identityKey, SignalMessage message)
    {
        var proto = new Wire.PreKeyWhisperMessage
        {
            RegistrationId = registrationId,
            SignedPreKeyId = signedPreKeyId,
            BaseKey = ByteString.CopyFrom(Curve25519.ToSignalPublicKey(baseKey)),
            IdentityKey = ByteString.CopyFrom(Curve25519.ToSignalPublicKey(identityKey)),
            Message = ByteString.CopyFrom(message.Serialized),
        };
        if (preKeyId is { } id)
        {
            proto.PreKeyId = id;
        }

        var length = proto.CalculateSize();
        var serialized = new byte[1 + length];
        serialized[0] = MessageVersion.Byte;
        proto.WriteTo(serialized.AsSpan(1));
        return new PreKeySignalMessage(serialized, registrationId, preKeyId, signedPreKeyId, baseKey, identityKey, message);
    }
}
