namespace Gateway.WebProtocol.Binary;

/// <summary>
/// One element of the binary XML-like stanza format: a tag, ordered string attributes and optional content
/// (child nodes, bytes or text). JIDs travel as attribute strings, exactly as Baileys hands them over.
/// </summary>
public sealed partial class Node
{
    private static readonly Node[] NoChildren = [];

    private readonly object? content;

    public Node(string tag, NodeAttributes? attributes = null)
        : this(tag, attributes, NodeContentKind.None, null)
    {
    }

    public Node(string tag, NodeAttributes? attributes, IReadOnlyList<Node> children)
        : this(tag, attributes, NodeContentKind.Children, children ?? throw new ArgumentNullException(nameof(children)))
    {
    }

    public Node(string tag, NodeAttributes? attributes, byte[] bytes)
        : this(tag, attributes, NodeContentKind.Bytes, bytes ?? throw new ArgumentNullException(nameof(bytes)))
    {
    }

    public Node(string tag, NodeAttributes? attributes, string text)
        : this(tag, attributes, NodeContentKind.Text, text ?? throw new ArgumentNullException(nameof(text)))
    {
    }

    private Node(string tag, NodeAttributes? attributes, NodeContentKind kind, object? content)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        Tag = tag;
        Attributes = attributes ?? NodeAttributes.Empty;
        ContentKind = kind;
        this.content = content;
    }

    public string Tag { get; }

    public NodeAttributes Attributes { get; }

    public NodeContentKind ContentKind { get; }

    /// <summary>The child nodes; empty unless <see cref="ContentKind"/> is Children.</summary>
    public IReadOnlyList<Node> Children => content as IReadOnlyList<Node> ?? NoChildren;

    /// <summary>The byte content, or null unless <see cref="ContentKind"/> is Bytes.</summary>
    public byte[]? Bytes => content as byte[];

    /// <summary>The text content, or null unless <see cref="ContentKind"/> is Text.</summary>
    public string? Text => content as string;

    /// <summary>A compact XML-like rendering with attribute values and byte lengths but no byte or text content.</summary>
    public override string ToString()
    {
        var builder = new System.Text.StringBuilder();
        AppendTo(builder, 0);
        return builder.ToString();
    }

    private void AppendTo(System.Text.StringBuilder builder, int depth)
    {
        builder.Append('<').Append(Tag);
        foreach (var (key, value) in Attributes)
        {
            builder.Append(' ').Append(key).Append("=\"").Append(value).Append('"');
        }

        switch (ContentKind)
        {
            case NodeContentKind.None:
                builder.Append("/>");
                return;
            case NodeContentKind.Bytes:
                builder.Append("><!-- ").Append(Bytes!.Length).Append(" bytes -->");
                break;
            case NodeContentKind.Text:
                builder.Append("><!-- ").Append(Text!.Length).Append(" chars -->");
                break;
            default:
                builder.Append('>');
                foreach (var child in Children)
                {
                    if (depth >= 16)
                    {
                        builder.Append("...");
                        break;
                    }

                    child.AppendTo(builder, depth + 1);
                }

                break;
        }

        builder.Append("</").Append(Tag).Append('>');
    }
}
