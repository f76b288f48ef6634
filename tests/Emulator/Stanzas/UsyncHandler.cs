using Gateway.Emulator.Accounts;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Types;
using static Gateway.Emulator.Stanzas.StanzaBuilder;

namespace Gateway.Emulator.Stanzas;

/// <summary>
/// The <c>usync</c> namespace: for each listed user, the protocols the query asks for (devices with key
/// indexes, lid, contact). Only linked companions are listed: the emulated phone has no Signal identity.
/// </summary>
internal sealed class UsyncHandler(AccountDirectory accounts)
{
    public Node Handle(Node iq)
    {
        var usync = iq.GetChild("usync");
        if (usync is null)
        {
            return IqResult(iq);
        }

        var protocols = usync.GetChild("query")?.Children.Select(c => c.Tag).ToHashSet(StringComparer.Ordinal) ?? [];
        var users = usync.GetChild("list")?.GetChildren("user").Select(u => Answer(u, protocols)).OfType<Node>().ToArray() ?? [];
        var attributes = Attrs(("sid", usync.GetAttribute("sid") ?? ""), ("mode", usync.GetAttribute("mode") ?? "query"),
            ("context", usync.GetAttribute("context") ?? "interactive"), ("index", "0"), ("last", "true"));
        return IqResult(iq, Make("usync", attributes, Make("result"), Make("list", null, users)));
    }

    private Node? Answer(Node user, HashSet<string> protocols)
    {
        Jid jid;
        Account? account;
        if (user.GetJidAttribute("jid") is { } given)
        {
            jid = given.ToNonDevice();
            account = accounts.Find(jid);
        }
        else if (user.GetChild("contact")?.Text is { } contact || (contact = ContactBytes(user)) is not null)
        {
            var phone = new string(contact.Where(char.IsAsciiDigit).ToArray());
            if (phone.Length == 0)
            {
                return null;
            }

            jid = new Jid(phone, JidServer.User);
            account = accounts.FindByPhone(phone);
        }
        else
        {
            return null;
        }

        var children = new List<Node>();
        if (protocols.Contains("devices"))
        {
            var devices = account?.ActiveDevices()
                .Select(d => Make("device", Attrs(("id", Text(d.Number)), ("key-index", Text(d.KeyIndex)))))
                .ToArray() ?? [];
            children.Add(Make("devices", null, Make("device-list", null, devices)));
        }

        if (protocols.Contains("lid") && account is not null)
        {
            children.Add(Make("lid", Attrs(("val", account.LidJid.ToString()))));
        }

        if (protocols.Contains("contact"))
        {
            children.Add(Make("contact", Attrs(("type", account is null ? "out" : "in"))));
        }

        return Make("user", Attrs(("jid", jid.ToString())), [.. children]);
    }

    private static string? ContactBytes(Node user) =>
        user.GetChild("contact")?.Bytes is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;
}
