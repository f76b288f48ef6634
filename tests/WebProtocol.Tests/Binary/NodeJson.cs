using System.Text.Json;
using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Tests.Binary;

/// <summary>
/// Nodes as JSON for the Node interop scripts (tests/Interop/binary/nodejson.mjs has the other half):
/// {tag, attrs: [[k, v]...], content: null | {nodes: [...]} | {bytes: base64} | {text}}.
/// </summary>
public static class NodeJson
{
    public static void Write(Utf8JsonWriter writer, Node node)
    {
        writer.WriteStartObject();
        writer.WriteString("tag", node.Tag);
        writer.WriteStartArray("attrs");
        foreach (var (key, value) in node.Attributes)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(key);
            writer.WriteStringValue(value);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WritePropertyName("content");
        switch (node.ContentKind)
        {
            case NodeContentKind.None:
                writer.WriteNullValue();
                break;
            case NodeContentKind.Bytes:
                writer.WriteStartObject();
                writer.WriteBase64String("bytes", node.Bytes);
                writer.WriteEndObject();
                break;
            case NodeContentKind.Text:
                writer.WriteStartObject();
                writer.WriteString("text", node.Text);
                writer.WriteEndObject();
                break;
            default:
                writer.WriteStartObject();
                writer.WriteStartArray("nodes");
                foreach (var child in node.Children)
                {
                    Write(writer, child);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
        }

        writer.WriteEndObject();
    }

    public static Node Read(JsonElement json)
    {
        var attributes = new NodeAttributes();
        foreach (var pair in json.GetProperty("attrs").EnumerateArray())
        {
            attributes.Set(pair[0].GetString()!, pair[1].GetString()!);
        }

        var tag = json.GetProperty("tag").GetString()!;
        var content = json.GetProperty("content");
        if (content.ValueKind == JsonValueKind.Null)
        {
            return new Node(tag, attributes);
        }

        if (content.TryGetProperty("nodes", out var nodes))
        {
            return new Node(tag, attributes, nodes.EnumerateArray().Select(Read).ToArray());
        }

        return content.TryGetProperty("bytes", out var bytes)
            ? new Node(tag, attributes, bytes.GetBytesFromBase64())
            : new Node(tag, attributes, content.GetProperty("text").GetString()!);
    }

    /// <summary>Writes {"nodes": [...]} for a whole corpus.</summary>
    public static void WriteCorpus(Stream stream, IReadOnlyList<Node> nodes)
    {
        using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteStartArray("nodes");
        foreach (var node in nodes)
        {
            Write(writer, node);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
