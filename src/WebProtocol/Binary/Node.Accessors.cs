using System.Globalization;
using Gateway.WebProtocol.Types;

namespace Gateway.WebProtocol.Binary;

public sealed partial class Node
{
    /// <summary>The value of attribute <paramref name="key"/>, or null.</summary>
    public string? GetAttribute(string key) => Attributes[key];

    /// <summary>The value of attribute <paramref name="key"/>; a missing one is malformed wire data.</summary>
    public string GetRequiredAttribute(string key) =>
        Attributes.TryGetValue(key, out var value)
            ? value
            : throw new WireFormatException($"<{Tag}> lacks attribute '{key}'");

    /// <summary>Attribute <paramref name="key"/> parsed as a JID, or null when absent or not a JID.</summary>
    public Jid? GetJidAttribute(string key) =>
        Attributes.TryGetValue(key, out var value) && Jid.TryParse(value, out var jid) ? jid : null;

    /// <summary>Attribute <paramref name="key"/> as a JID; missing or unparsable is malformed wire data.</summary>
    public Jid GetRequiredJidAttribute(string key) =>
        GetJidAttribute(key) ?? throw new WireFormatException($"<{Tag}> attribute '{key}' is not a JID");

    /// <summary>Attribute <paramref name="key"/> as a decimal integer, or null when absent or not a number.</summary>
    public long? GetInt64Attribute(string key) =>
        Attributes.TryGetValue(key, out var value)
        && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    /// <summary>The first child with tag <paramref name="tag"/>, or null.</summary>
    public Node? GetChild(string tag)
    {
        foreach (var child in Children)
        {
            if (string.Equals(child.Tag, tag, StringComparison.Ordinal))
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>The first child with tag <paramref name="tag"/>; a missing one is malformed wire data.</summary>
    public Node GetRequiredChild(string tag) =>
        GetChild(tag) ?? throw new WireFormatException($"<{Tag}> lacks child <{tag}>");

    /// <summary>Follows a path of tags through first matches, e.g. GetChildByPath("pair-device", "ref").</summary>
    public Node? GetChildByPath(params ReadOnlySpan<string> tags)
    {
        var current = this;
        foreach (var tag in tags)
        {
            current = current.GetChild(tag);
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>All children with tag <paramref name="tag"/>, in order.</summary>
    public IEnumerable<Node> GetChildren(string tag)
    {
        foreach (var child in Children)
        {
            if (string.Equals(child.Tag, tag, StringComparison.Ordinal))
            {
                yield return child;
            }
        }
    }

    public bool HasChild(string tag) => GetChild(tag) is not null;
}
