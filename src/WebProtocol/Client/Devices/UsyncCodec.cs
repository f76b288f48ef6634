using System.Globalization;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Types;

namespace Gateway.WebProtocol.Client.Devices;

/// <summary>One user's answer to a device query: the devices with a key index, and the LID if the server told it.</summary>
internal sealed record UsyncUser(Jid User, IReadOnlyList<int> Devices, Jid? Lid);

/// <summary>The usync device query and its answer (protocol notes section 7).</summary>
internal static class UsyncCodec
{
    public static Node BuildDeviceQuery(string id, IEnumerable<Jid> users, string context = "message") => Stanza.Make(
        "iq",
        Stanza.Attrs(("id", id), ("to", Stanza.Server), ("type", "get"), ("xmlns", "usync")),
        Stanza.Make(
            "usync",
            Stanza.Attrs(("context", context), ("mode", "query"), ("sid", id), ("last", "true"), ("index", "0")),
            Stanza.Make("query", Stanza.Make("devices", Stanza.Attrs(("version", "2"))), Stanza.Make("lid")),
            Stanza.Make("list", users.Select(user => Stanza.Make("user", Stanza.Attrs(("jid", user.ToString())))).ToArray())));

    /// <summary>Users in the answer; non-zero devices without a key index are left out as Baileys does.</summary>
    public static IReadOnlyList<UsyncUser> ParseDevices(Node result)
    {
        var list = result.GetChildByPath("usync", "list") ?? throw new WireFormatException("usync result has no list");
        var users = new List<UsyncUser>();
        foreach (var user in list.GetChildren("user"))
        {
            if (user.GetJidAttribute("jid") is not { } jid || user.GetChild("error") is not null)
            {
                continue;
            }

            var devices = new List<int>();
            if (user.GetChildByPath("devices", "device-list") is { } deviceList)
            {
                foreach (var device in deviceList.GetChildren("device"))
                {
                    if (!int.TryParse(device.GetAttribute("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var deviceId)
                        || deviceId > ushort.MaxValue)
                    {
                        continue;
                    }

                    if (deviceId == 0 || device.GetAttribute("key-index") is not null)
                    {
                        devices.Add(deviceId);
                    }
                }
            }

            var lid = user.GetChild("lid")?.GetJidAttribute("val");
            users.Add(new UsyncUser(jid.ToNonDevice(), devices, lid is { IsLid: true } l ? l.ToNonDevice() : null));
        }

        return users;
    }
}
