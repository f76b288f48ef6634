using Gateway.WebProtocol.Signal.Storage;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// One sender's key chains in one group: up to <see cref="MaxStates"/> states (key ids), newest last.
/// Persisted as <see cref="Serialize"/> bytes (a version byte and a protobuf message).
/// </summary>
public sealed class SenderKeyRecord
{
    public const int MaxStates = 5;
    private const byte FormatVersion = 1;

    public SenderKeyRecord()
        : this(new SenderKeyRecordStructure())
    {
    }

    internal SenderKeyRecord(SenderKeyRecordStructure structure)
    {
        Structure = structure;
    }

    internal SenderKeyRecordStructure Structure { get; }

    public bool IsEmpty => Structure.States.Count == 0;

    public byte[] Serialize() => RecordSerialization.Serialize(FormatVersion, Structure);

    public static SenderKeyRecord Deserialize(ReadOnlySpan<byte> bytes) =>
        new(RecordSerialization.Deserialize(bytes, FormatVersion, SenderKeyRecordStructure.Parser, "sender key record"));

    public SenderKeyRecord Clone() => new(Structure.Clone());
}
