using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Client.Connection;

/// <summary>Short-hands for building stanzas: attributes with null values are left out.</summary>
internal static class Stanza
{
    /// <summary>The bare server JID, encoded as a JID pair with an empty user (what Baileys compares against).</summary>
    public const string Server = "@s.whatsapp.net";

    public static NodeAttributes Attrs(params ReadOnlySpan<(string Key, string? Value)> pairs)
    {
        var attributes = new NodeAttributes(pairs.Length);
        foreach (var (key, value) in pairs)
        {
            if (value is not null)
            {
                attributes.Set(key, value);
            }
        }

        return attributes;
    }

    public static Node Make(string tag, NodeAttributes attributes, params Node[] children) =>
        children.Length == 0 ? new Node(tag, attributes) : new Node(tag, attributes, children);

    public static Node Make(string tag, params Node[] children) => Make(tag, Attrs(), children);

    public static Node Bytes(string tag, byte[] content) => new(tag, null, content);

    public static Node Bytes(string tag, NodeAttributes attributes, byte[] content) => new(tag, attributes, content);

    /// <summary>An iq has failed only when it carries an &lt;error&gt; child (protocol notes section 5).</summary>
    public static Node? ErrorOf(Node iq) => iq.GetChild("error");
}
