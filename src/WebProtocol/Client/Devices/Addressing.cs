using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Types;

namespace Gateway.WebProtocol.Client.Devices;

/// <summary>How WhatsApp JIDs map onto Signal addresses: <c>user.device</c> for PN, <c>user_1.device</c> for LID.</summary>
internal static class Addressing
{
    public static ProtocolAddress ToProtocolAddress(Jid device)
    {
        var domain = device.DomainType;
        var name = domain == 0 ? device.User : string.Concat(device.User, "_", domain.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new ProtocolAddress(name, device.Device);
    }

    /// <summary>Phone numbers shown in logs keep the country code and the last two digits only.</summary>
    public static string Mask(Jid jid) => Mask(jid.User) + "@" + jid.Server;

    public static string Mask(string user) =>
        user.Length <= 5 ? new string('*', user.Length) : string.Concat(user.AsSpan(0, 2), new string('*', user.Length - 4), user.AsSpan(user.Length - 2));
}
