using System.Globalization;
using Gateway.WebProtocol.Binary;

namespace Gateway.Emulator.Stanzas;

/// <summary>Terse construction of the server's stanzas.</summary>
internal static class StanzaBuilder
{
    /// <summary>The bare server JID; encodes as JID_PAIR with an empty user, which Baileys compares against.</summary>
    public const string ServerJid = "@s.whatsapp.net";

    public static NodeAttributes Attrs(params ReadOnlySpan<(string Key, string Value)> pairs)
    {
        var attributes = new NodeAttributes(pairs.Length);
        foreach (var (key, value) in pairs)
        {
            attributes.Set(key, value);
        }

        return attributes;
    }

    public static Node Make(string tag, NodeAttributes? attributes = null, params Node[] children) =>
        children.Length == 0 ? new Node(tag, attributes) : new Node(tag, attributes, children);

    public static Node Bytes(string tag, byte[] content) => new(tag, null, content);

    /// <summary>An iq result echoing the request's id, from the server.</summary>
    public static Node IqResult(Node request, params Node[] children) =>
        Make("iq", Attrs(("from", ServerJid), ("id", request.GetAttribute("id") ?? ""), ("type", "result")), children);

    public static string Seconds(TimeProvider time) =>
        time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static Node StreamError(int code)
    {
        // Baileys reads the code attribute first; the child names the reason for readers that look at it.
        var reason = code switch
        {
            440 => Make("conflict", Attrs(("type", "replaced"))),
            401 => Make("conflict", Attrs(("type", "device_removed"))),
            _ => null,
        };
        var attributes = Attrs(("code", Text(code)));
        return reason is null ? Make("stream:error", attributes) : Make("stream:error", attributes, reason);
    }

    public static Node Failure(int reason) => Make("failure", Attrs(("reason", Text(reason))));
}
