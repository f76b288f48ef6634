using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Types;

namespace Gateway.WebProtocol.Tests.Binary;

public sealed class NodeAccessorTests
{
    private static readonly Node Stanza = new("iq", new() { ["id"] = "1.2-3", ["from"] = "@s.whatsapp.net", ["t"] = "1700000000" },
    [
        new Node("pair-device", null, [new Node("ref", null, "a"u8.ToArray()), new Node("ref", null, "b"u8.ToArray())]),
        new Node("device", new() { ["jid"] = "5511987654321:3@s.whatsapp.net", ["bad"] = "nope" }),
    ]);

    [Fact]
    public void Attribute_getters()
    {
        Assert.Equal("1.2-3", Stanza.GetAttribute("id"));
        Assert.Null(Stanza.GetAttribute("missing"));
        Assert.Equal(1700000000L, Stanza.GetInt64Attribute("t"));
        Assert.Null(Stanza.GetInt64Attribute("id"));
        Assert.Equal(Jid.ServerJid, Stanza.GetRequiredJidAttribute("from"));
        Assert.Throws<WireFormatException>(() => Stanza.GetRequiredAttribute("missing"));
        var device = Stanza.GetRequiredChild("device");
        Assert.Equal(Jid.Parse("5511987654321:3@s.whatsapp.net"), device.GetJidAttribute("jid"));
        Assert.Null(device.GetJidAttribute("bad"));
        Assert.Throws<WireFormatException>(() => device.GetRequiredJidAttribute("bad"));
    }

    [Fact]
    public void Child_getters()
    {
        Assert.Single(Stanza.GetChildren("device"));
        Assert.Equal(2, Stanza.GetRequiredChild("pair-device").GetChildren("ref").Count());
        Assert.Equal("a"u8.ToArray(), Stanza.GetChildByPath("pair-device", "ref")!.Bytes);
        Assert.Null(Stanza.GetChildByPath("pair-device", "nope"));
        Assert.True(Stanza.HasChild("device"));
        Assert.Null(Stanza.GetChild("nope"));
        Assert.Throws<WireFormatException>(() => Stanza.GetRequiredChild("nope"));
    }

    [Fact]
    public void Attributes_keep_order_and_replace_in_place()
    {
        var attributes = new NodeAttributes { ["b"] = "1", ["a"] = "2" };
        attributes["b"] = "3";
        Assert.Equal(["b", "a"], attributes.Select(a => a.Key));
        Assert.Equal("3", attributes["b"]);
        Assert.True(attributes.Remove("b"));
        Assert.Equal(["a"], attributes.Select(a => a.Key));
        Assert.Throws<InvalidOperationException>(() => NodeAttributes.Empty.Set("x", "y"));
    }

    [Fact]
    public void To_string_omits_content()
    {
        var text = new Node("message", new() { ["id"] = "X" }, [new Node("body", null, "secret text"), new Node("enc", null, new byte[] { 1, 2 })]).ToString();
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.Contains("2 bytes", text, StringComparison.Ordinal);
    }
}
