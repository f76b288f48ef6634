using Gateway.WebProtocol.Types;

namespace Gateway.WebProtocol.Tests.Types;

public sealed class JidTests
{
    [Theory]
    [InlineData("5511987654321@s.whatsapp.net", "5511987654321", "", 0, "s.whatsapp.net", "5511987654321@s.whatsapp.net")]
    [InlineData("5511987654321:12@s.whatsapp.net", "5511987654321", "", 12, "s.whatsapp.net", "5511987654321:12@s.whatsapp.net")]
    [InlineData("5511987654321@c.us", "5511987654321", "", 0, "s.whatsapp.net", "5511987654321@s.whatsapp.net")]
    [InlineData("123456789012345:7@lid", "123456789012345", "", 7, "lid", "123456789012345:7@lid")]
    [InlineData("123_1:2@s.whatsapp.net", "123", "1", 2, "s.whatsapp.net", "123_1:2@s.whatsapp.net")]
    [InlineData("123_5@s.whatsapp.net", "123", "5", 0, "s.whatsapp.net", "123_5@s.whatsapp.net")]
    [InlineData("123:0@s.whatsapp.net", "123", "", 0, "s.whatsapp.net", "123@s.whatsapp.net")]
    [InlineData("120363012345678901@g.us", "120363012345678901", "", 0, "g.us", "120363012345678901@g.us")]
    [InlineData("5511987654321-1600000000@g.us", "5511987654321-1600000000", "", 0, "g.us", "5511987654321-1600000000@g.us")]
    [InlineData("status@broadcast", "status", "", 0, "broadcast", "status@broadcast")]
    [InlineData("120363123456789012@newsletter", "120363123456789012", "", 0, "newsletter", "120363123456789012@newsletter")]
    [InlineData("5511987654321:99@hosted", "5511987654321", "", 99, "hosted", "5511987654321:99@hosted")]
    [InlineData("123456789012345:99@hosted.lid", "123456789012345", "", 99, "hosted.lid", "123456789012345:99@hosted.lid")]
    [InlineData("867051314767696@bot", "867051314767696", "", 0, "bot", "867051314767696@bot")]
    [InlineData("@s.whatsapp.net", "", "", 0, "s.whatsapp.net", "@s.whatsapp.net")]
    [InlineData("3-1:2@interop", "3-1", "", 2, "interop", "3-1:2@interop")]
    [InlineData("abc:65535@msgr", "abc", "", 65535, "msgr", "abc:65535@msgr")]
    public void Parses_and_formats(string text, string user, string agent, int device, string server, string formatted)
    {
        Assert.True(Jid.TryParse(text, out var jid));
        Assert.Equal(user, jid.User);
        Assert.Equal(agent, jid.Agent == 0 ? "" : jid.Agent.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(device, jid.Device);
        Assert.Equal(server, jid.Server);
        Assert.Equal(formatted, jid.ToString());
        Assert.Equal(jid, Jid.Parse(formatted));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5511987654321")]
    [InlineData("5511987654321@")]
    [InlineData("5511987654321@example.com")]
    [InlineData("a@b@s.whatsapp.net")]
    [InlineData("55 11@s.whatsapp.net")]
    [InlineData("5511:@s.whatsapp.net")]
    [InlineData("5511:x@s.whatsapp.net")]
    [InlineData("5511:65536@s.whatsapp.net")]
    [InlineData("5511:1:2@s.whatsapp.net")]
    [InlineData("5511_@s.whatsapp.net")]
    [InlineData("5511_256@s.whatsapp.net")]
    [InlineData("5511_1_2@s.whatsapp.net")]
    [InlineData(":1@s.whatsapp.net")]
    [InlineData("5511@S.WHATSAPP.NET")]
    [InlineData("5511.0:1@s.whatsapp.net")]
    [InlineData("ünï@s.whatsapp.net")]
    public void Rejects_garbage(string? text)
    {
        Assert.False(Jid.TryParse(text, out _));
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => Jid.Parse(text));
        }
    }

    [Theory]
    [InlineData("5511987654321:12@s.whatsapp.net", "5511987654321.12")]
    [InlineData("5511987654321@s.whatsapp.net", "5511987654321.0")]
    [InlineData("123456789012345:7@lid", "123456789012345_1.7")]
    [InlineData("123456789012345@lid", "123456789012345_1.0")]
    [InlineData("5511987654321:99@hosted", "5511987654321_128.99")]
    [InlineData("123456789012345:99@hosted.lid", "123456789012345_129.99")]
    [InlineData("123_5:3@s.whatsapp.net", "123_5.3")]
    public void Signal_address_follows_baileys(string text, string address)
    {
        Assert.Equal(address, Jid.Parse(text).ToSignalAddress());
    }

    [Fact]
    public void Pn_and_lid_helpers()
    {
        var pn = Jid.Parse("5511987654321:12@s.whatsapp.net");
        Assert.True(pn.IsPn);
        Assert.False(pn.IsLid);
        Assert.Equal("5511987654321@s.whatsapp.net", pn.ToNonDevice().ToString());
        Assert.Equal("5511987654321:3@s.whatsapp.net", pn.WithDevice(3).ToString());

        var lid = Jid.Parse("123456789012345:7@lid");
        Assert.True(lid.IsLid);
        Assert.False(lid.IsPn);
        Assert.Equal(1, lid.DomainType);
        Assert.Equal(Jid.Parse("123456789012345@lid"), lid.ToNonDevice());

        Assert.True(Jid.ServerJid.IsServer);
        Assert.False(Jid.ServerJid.IsPn);
        Assert.Equal("@s.whatsapp.net", Jid.ServerJid.ToString());
        Assert.True(Jid.StatusBroadcast.IsStatusBroadcast);
        Assert.True(Jid.Parse("1@g.us").IsGroup);
        Assert.True(Jid.Parse("1@newsletter").IsNewsletter);
        Assert.True(Jid.Parse("1@hosted").IsHostedPn);
        Assert.True(Jid.Parse("1@hosted.lid").IsHostedLid);
        Assert.True(Jid.Parse("1@bot").IsBot);
        Assert.True(default(Jid).IsEmpty);
        Assert.Equal("", default(Jid).ToString());
        Assert.Throws<InvalidOperationException>(() => Jid.ServerJid.ToSignalAddress());
        Assert.Throws<ArgumentException>(() => new Jid("1", "example.com"));
    }
}
