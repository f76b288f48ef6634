namespace Gateway.WebProtocol.Signal;

/// <summary>
/// A remote Signal endpoint: a name and a device id. Signal itself does not interpret the name; the client
/// maps WhatsApp JIDs onto it.
/// </summary>
public readonly record struct ProtocolAddress
{
    public ProtocolAddress(string name, uint deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        DeviceId = deviceId;
    }

    public string Name { get; }

    public uint DeviceId { get; }

    /// <summary>"name.device", the form libsignal uses as a store key.</summary>
    public override string ToString() => $"{Name}.{DeviceId}";
}
