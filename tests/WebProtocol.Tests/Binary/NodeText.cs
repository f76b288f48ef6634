using System.Text;
using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Tests.Binary;

/// <summary>
/// A complete, unambiguous rendering of a node for test assertions: content kind and value included
/// (text in quotes with \0 escaped, bytes as 0x-hex, children nested).
/// </summary>
public static class NodeText
{
    public static string Format(Node node)
    {
        var builder = new StringBuilder();
        Append(builder, node);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, Node node)
    {
        builder.Append('<').Append(node.Tag);
        foreach (var (key, value) in node.Attributes)
        {
            builder.Append(' ').Append(Escape(key)).Append("=\"").Append(Escape(value)).Append('"');
        }

        switch (node.ContentKind)
        {
            case NodeContentKind.None:
                builder.Append("/>");
                return;
            case NodeContentKind.Text:
                builder.Append(">'").Append(Escape(node.Text!)).Append('\'');
                break;
            case NodeContentKind.Bytes:
                builder.Append(">0x").Append(Convert.ToHexStringLower(node.Bytes!));
                break;
            default:
                builder.Append(">[");
                foreach (var child in node.Children)
                {
                    Append(builder, child);
                }

                builder.Append(']');
                break;
        }

        builder.Append("</").Append(node.Tag).Append('>');
    }

    private static string Escape(string value) => value.Replace("\0", "\\0", StringComparison.Ordinal);
}
