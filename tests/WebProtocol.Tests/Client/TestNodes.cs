using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Tests.Client;

/// <summary>Compact node construction for tests.</summary>
internal static class TestNodes
{
    public static Node N(string tag, params (string Key, string Value)[] attributes) => new(tag, Attrs(attributes));

    public static Node N(string tag, (string Key, string Value)[] attributes, params Node[] children) => new(tag, Attrs(attributes), children);

    public static Node B(string tag, byte[] bytes, params (string Key, string Value)[] attributes) => new(tag, Attrs(attributes), bytes);

    public static NodeAttributes Attrs((string Key, string Value)[] attributes)
    {
        var result = new NodeAttributes();
        foreach (var (key, value) in attributes)
        {
            result.Set(key, value);
        }

        return result;
    }
}
