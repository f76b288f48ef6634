using Gateway.Logging;

namespace Gateway.Tests;

public sealed class RedactTests
{
    [Theory]
    [InlineData("15551234567", "1555*****67")]
    [InlineData("15551234567@s.whatsapp.net", "1555*****67@s.whatsapp.net")]
    [InlineData("123456", "******")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Phone_numbers_are_masked(string? input, string expected) => Assert.Equal(expected, Redact.Phone(input));
}
