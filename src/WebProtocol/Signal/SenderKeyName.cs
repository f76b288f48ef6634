namespace Gateway.WebProtocol.Signal;

/// <summary>Identifies one sender's key chain in one group.</summary>
public readonly record struct SenderKeyName
{
    public SenderKeyName(string groupId, ProtocolAddress sender)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        GroupId = groupId;
        Sender = sender;
    }

    public string GroupId { get; }

    public ProtocolAddress Sender { get; }

    /// <summary>"group::name::device", the form Baileys uses as a store key.</summary>
    public override string ToString() => $"{GroupId}::{Sender.Name}::{Sender.DeviceId}";
}
