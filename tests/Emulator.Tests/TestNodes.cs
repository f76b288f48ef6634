using Gateway.WebProtocol.Binary;

namespace Gateway.Emulator.Tests;

/// <summary>Stanza construction for tests.</summary>
internal static class TestNodes
{
    public static Node N(string tag, (string Key, string Value)[]? attributes = null, params Node[] children)
    {
        var attrs = new NodeAttributes();
        foreach (var (key, value) in attributes ?? [])
        {
            attrs.Set(key, value);
        }

        return children.Length == 0 ? new Node(tag, attrs) : new Node(tag, attrs, children);
    }

    public static Node B(string tag, byte[] content) => new(tag, null, content);

    public static Node Iq(string id, string xmlns, string type, params Node[] children) =>
        N("iq", [("id", id), ("xmlns", xmlns), ("type", type), ("to", "@s.whatsapp.net")], children);

    public static async Task<(TestCompanion Companion, Pairing.PairedDevice Device)> PairAndLoginAsync(EmulatorServer emulator, string phone)
    {
        var companion = new TestCompanion(emulator);
        var device = await companion.PairAsync(phone);
        await companion.ConnectForLoginAsync(device.Jid);
        await companion.ReceiveAsync(n => n.Tag == "success");
        await companion.ReceiveAsync(n => n.Tag == "ib");
        return (companion, device);
    }
}
