using Gateway.Emulator.Accounts;
using Gateway.WebProtocol;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Types;
using static Gateway.Emulator.Stanzas.StanzaBuilder;

namespace Gateway.Emulator.Stanzas;

/// <summary>The <c>encrypt</c> namespace: prekey count, upload, signed prekey rotation, digest and bundle fetch.</summary>
internal sealed class PreKeyHandler(AccountDirectory accounts)
{
    public Node Handle(Device? device, Node iq)
    {
        var first = iq.Children.Count > 0 ? iq.Children[0] : null;
        switch (iq.GetAttribute("type"), first?.Tag)
        {
            case ("get", "count"):
                return IqResult(iq, Make("count", Attrs(("value", Text(device?.PreKeyCount ?? 0)))));
            case ("get", "digest"):
                return IqResult(iq, Make("digest"));
            case ("get", "key"):
                return IqResult(iq, Make("list", null, FetchBundles(first!).ToArray()));
            case ("set", _) when iq.HasChild("registration") && device is not null:
                Upload(device, iq);
                return IqResult(iq);
            case ("set", "rotate") when device is not null:
                device.RotateSignedPreKey(ReadSignedPreKey(first!.GetRequiredChild("skey")));
                return IqResult(iq);
            default:
                return IqResult(iq);
        }
    }

    private static void Upload(Device device, Node iq)
    {
        var registration = BigEndian.Read(RequireBytes(iq, "registration"), 4);
        var identity = RequireBytes(iq, "identity");
        var keys = iq.GetChild("list")?.GetChildren("key")
            .Select(k => (BigEndian.Read(RequireBytes(k, "id"), 3), RequireBytes(k, "value")))
            .ToArray() ?? [];
        device.StoreKeys(registration, identity, ReadSignedPreKey(iq.GetRequiredChild("skey")), keys);
    }

    private static SignedPreKey ReadSignedPreKey(Node skey) =>
        new(BigEndian.Read(RequireBytes(skey, "id"), 3), RequireBytes(skey, "value"), RequireBytes(skey, "signature"));

    private IEnumerable<Node> FetchBundles(Node keyRequest)
    {
        foreach (var user in keyRequest.GetChildren("user"))
        {
            // Baileys aborts the whole fetch on one <error>: devices we do not know are left out instead.
            if (user.GetJidAttribute("jid") is not { } jid || accounts.FindDevice(jid) is not { } device)
            {
                continue;
            }

            var children = new List<Node>
            {
                Bytes("registration", BigEndian.Write(device.RegistrationId, 4)),
                Bytes("type", [5]),
                Bytes("identity", device.IdentityKey),
                Make("skey", null,
                    Bytes("id", BigEndian.Write(device.SignedPreKey.Id, 3)),
                    Bytes("value", device.SignedPreKey.PublicKey),
                    Bytes("signature", device.SignedPreKey.Signature)),
            };
            if (device.TakePreKey() is { } preKey)
            {
                children.Add(Make("key", null, Bytes("id", BigEndian.Write(preKey.Id, 3)), Bytes("value", preKey.PublicKey)));
            }

            yield return Make("user", Attrs(("jid", jid.ToString())), [.. children]);
        }
    }

    private static byte[] RequireBytes(Node parent, string tag) =>
        parent.GetChild(tag)?.Bytes ?? throw new WireFormatException($"<{tag}> with bytes is missing");
}
