namespace Gateway.WebProtocol.Binary;

/// <summary>What a <see cref="Node"/> carries after its attributes.</summary>
public enum NodeContentKind
{
    /// <summary>No content: the list header has an odd size.</summary>
    None,

    /// <summary>A list of child nodes (possibly empty, LIST_EMPTY on the wire).</summary>
    Children,

    /// <summary>Raw bytes (BINARY_8/20/32 in content position).</summary>
    Bytes,

    /// <summary>A string: a token, a packed string or a JID in content position.</summary>
    Text,
}
