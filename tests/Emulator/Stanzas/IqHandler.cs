using Gateway.Emulator.Accounts;
using Gateway.Emulator.Connections;
using Gateway.Emulator.Pairing;
using Gateway.WebProtocol.Binary;
using static Gateway.Emulator.Stanzas.StanzaBuilder;

namespace Gateway.Emulator.Stanzas;

/// <summary>
/// Answers client iqs by namespace. Anything not emulated gets an empty result: an unanswered iq stalls
/// Baileys for 60 s, and an <c>&lt;error&gt;</c> child fails its callers.
/// </summary>
internal sealed class IqHandler(PreKeyHandler preKeys, UsyncHandler usync, PairingService pairing, Func<string> mediaHost)
{
    public void Handle(EmulatorConnection connection, Node iq)
    {
        var device = connection.Device;
        var first = iq.Children.Count > 0 ? iq.Children[0] : null;
        switch (iq.GetAttribute("xmlns"))
        {
            case "w:p" when device?.Faults.IgnorePings == true:
                return;
            case "encrypt":
                connection.Post(preKeys.Handle(device, iq));
                return;
            case "usync":
                connection.Post(usync.Handle(iq));
                return;
            case "w:m" when first?.Tag == "media_conn":
                connection.Post(IqResult(iq, Make("media_conn",
                    Attrs(("auth", PairingService.NewId()), ("ttl", "300"), ("auth_ttl", "21600"), ("max_buckets", "12")),
                    Make("host", Attrs(("hostname", mediaHost()), ("maxContentLengthBytes", "104857600"))))));
                return;
            case "md" when first?.Tag == "link_code_companion_reg":
                pairing.HandleLinkCodeIq(connection, iq, first);
                return;
            case "md" when first?.Tag == "remove-companion-device" && device is not null:
                // A companion logging itself out: the server unlinks it, answers, then ends the connection as
                // it does for any removed device (later logins of it get failure 401).
                device.Removed = true;
                connection.Post(IqResult(iq));
                connection.PostStreamErrorAndClose(401);
                return;
            default:
                connection.Post(IqResult(iq));
                return;
        }
    }
}
