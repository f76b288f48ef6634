using System.Globalization;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Types;

namespace Gateway.Emulator.Accounts;

/// <summary>
/// One WhatsApp account: a phone number, the LID the emulator assigned to it, the emulated phone's account
/// key (signs every companion's ADV identity) and the companion devices linked to it.
/// </summary>
public sealed class Account
{
    private readonly Lock gate = new();
    private readonly Dictionary<ushort, Device> devices = [];
    private ushort nextDeviceNumber = 1;
    private uint nextKeyIndex = 1;

    internal Account(string phone, string lid, uint rawId)
    {
        Phone = phone;
        Lid = lid;
        RawId = rawId;
        AccountKey = Curve25519.GenerateKeyPair();
    }

    /// <summary>Digits only, the user part of the PN JID.</summary>
    public string Phone { get; }

    /// <summary>Digits only, the user part of the LID JID.</summary>
    public string Lid { get; }

    /// <summary>ADVDeviceIdentity.rawId shared by the account's devices.</summary>
    public uint RawId { get; }

    /// <summary>The primary device's identity key: signs companions, and Baileys stores it as the LID's identity.</summary>
    public KeyPair AccountKey { get; }

    public Jid PnJid => new(Phone, JidServer.User);

    public Jid LidJid => new(Lid, JidServer.Lid);

    public ulong PhoneNumber => ulong.Parse(Phone, CultureInfo.InvariantCulture);

    /// <summary>Reserves the next device number and key index for a companion being paired.</summary>
    internal (ushort Device, uint KeyIndex) ReserveSlot()
    {
        lock (gate)
        {
            return (nextDeviceNumber++, nextKeyIndex++);
        }
    }

    internal void Add(Device device)
    {
        lock (gate)
        {
            devices[device.Number] = device;
        }
    }

    /// <summary>
    /// Adds a device linked before this emulator started, under the number and key index it already has; later
    /// pairings get numbers and key indexes after it. Throws <see cref="InvalidOperationException"/> when the number was
    /// already handed out here.
    /// </summary>
    internal void Adopt(Device device)
    {
        lock (gate)
        {
            // Every number below the next one was handed out here (paired, being paired, or adopted).
            if (device.Number < nextDeviceNumber)
            {
                throw new InvalidOperationException("that device number is already in use here");
            }

            devices[device.Number] = device;
            nextDeviceNumber = Math.Max(nextDeviceNumber, (ushort)(device.Number + 1));
            nextKeyIndex = Math.Max(nextKeyIndex, device.KeyIndex + 1);
        }
    }

    public Device? FindDevice(ushort number)
    {
        lock (gate)
        {
            return devices.TryGetValue(number, out var device) && !device.Removed ? device : null;
        }
    }

    /// <summary>The linked devices that are not removed, lowest number first.</summary>
    public IReadOnlyList<Device> ActiveDevices()
    {
        lock (gate)
        {
            return devices.Values.Where(d => !d.Removed).OrderBy(d => d.Number).ToArray();
        }
    }
}
