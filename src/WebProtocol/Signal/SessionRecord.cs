using Gateway.WebProtocol.Signal.Storage;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// Everything we keep for one remote device: the open session, if any, and up to
/// <see cref="MaxPreviousSessions"/> closed ones that can still decrypt late messages. Persisted as
/// <see cref="Serialize"/> bytes (a version byte and a protobuf message).
/// </summary>
public sealed class SessionRecord
{
    public const int MaxPreviousSessions = 40;
    private const byte FormatVersion = 1;

    public SessionRecord()
        : this(new RecordStructure())
    {
    }

    internal SessionRecord(RecordStructure structure)
    {
        Structure = structure;
    }

    internal RecordStructure Structure { get; }

    /// <summary>True when a session can encrypt (a sending chain exists).</summary>
    public bool HasOpenSession => Structure.CurrentSession?.SenderChain is not null;

    /// <summary>The registration id the remote device announced in the open session.</summary>
    public uint? RemoteRegistrationId => Structure.CurrentSession?.RemoteRegistrationId;

    /// <summary>The remote identity key (32 bytes) of the open session.</summary>
    public byte[]? RemoteIdentityKey => Structure.CurrentSession?.RemoteIdentityPublic.ToByteArray();

    public int PreviousSessionCount => Structure.PreviousSessions.Count;

    public byte[] Serialize() => RecordSerialization.Serialize(FormatVersion, Structure);

    public static SessionRecord Deserialize(ReadOnlySpan<byte> bytes) =>
        new(RecordSerialization.Deserialize(bytes, FormatVersion, RecordStructure.Parser, "session record"));

    public SessionRecord Clone() => new(Structure.Clone());
}
