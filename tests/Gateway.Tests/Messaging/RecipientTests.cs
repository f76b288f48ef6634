using Gateway.Messaging;

namespace Gateway.Tests.Messaging;

public sealed class RecipientTests
{
    [Theory]
    [InlineData("+1 555 123 4567", "15551234567@s.whatsapp.net")]
    [InlineData("15551234567", "15551234567@s.whatsapp.net")]
    [InlineData("(555) 123-4567", "5551234567@s.whatsapp.net")]
    [InlineData("15551234567@c.us", "15551234567@s.whatsapp.net")]
    [InlineData("15551234567@s.whatsapp.net", "15551234567@s.whatsapp.net")]
    [InlineData("123456789012345@lid", "123456789012345@lid")]
    [InlineData("120363025246125888@g.us", "120363025246125888@g.us")]
    public void Accepted_forms_normalise(string input, string jid)
    {
        Assert.True(Recipient.TryParse(input, out var recipient));
        Assert.Equal(jid, recipient.Jid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("0123456789")]
    [InlineData("1234567890123456")]
    [InlineData("+1 555 CALL NOW")]
    [InlineData("1555+1234567")]
    [InlineData("15551234567@evil.com")]
    [InlineData("../15551234567@s.whatsapp.net")]
    [InlineData("abc@s.whatsapp.net")]
    public void Malformed_numbers_are_refused(string? input) => Assert.False(Recipient.TryParse(input, out _));
}
