using Gateway.WebProtocol.Noise;

namespace Gateway.WebProtocol.Tests.Noise;

public sealed class ClientIntroTests
{
    [Fact]
    public void Build_without_routing_info_is_the_WA_header()
    {
        Assert.Equal("57410603", Convert.ToHexStringLower(ClientIntro.Build()));
    }

    [Fact]
    public void Build_with_routing_info_prefixes_ED_version_and_24_bit_length()
    {
        var intro = ClientIntro.Build(Convert.FromHexString("0a0b0c"));

        Assert.Equal("45440001" + "000003" + "0a0b0c" + "57410603", Convert.ToHexStringLower(intro));
    }

    [Theory]
    [InlineData("57410603", true, 4, "")]
    [InlineData("57410603000001aa", true, 4, "")]
    [InlineData("", false, 0, "")]
    [InlineData("57", false, 0, "")]
    [InlineData("574106", false, 0, "")]
    [InlineData("45", false, 0, "")]
    [InlineData("45440001", false, 0, "")]
    [InlineData("4544000100000257", false, 0, "")]
    [InlineData("45440001000002beef", false, 0, "")]
    [InlineData("45440001000002beef5741", false, 0, "")]
    [InlineData("45440001000002beef57410603", true, 13, "beef")]
    [InlineData("4544000100000057410603", true, 11, "")]
    public void TryRead_vectors(string inputHex, bool complete, int consumed, string routingHex)
    {
        var input = Convert.FromHexString(inputHex);

        var ok = ClientIntro.TryRead(input, out var used, out var routing);

        Assert.Equal(complete, ok);
        Assert.Equal(consumed, used);
        Assert.Equal(routingHex, Convert.ToHexStringLower(input.AsSpan()[routing]));
    }

    [Theory]
    [InlineData("00", FrameError.BadIntroHeader)]
    [InlineData("000003", FrameError.BadIntroHeader)]
    [InlineData("5741", FrameError.BadIntroHeader, false)]
    [InlineData("57410602", FrameError.BadIntroHeader)]
    [InlineData("57410503", FrameError.BadIntroHeader)]
    [InlineData("4545", FrameError.BadRoutingPrefix)]
    [InlineData("45440002", FrameError.BadRoutingPrefix)]
    [InlineData("45440001001001", FrameError.BadRoutingPrefix)]
    [InlineData("45440001000001ff00", FrameError.BadIntroHeader)]
    public void TryRead_rejects_bad_intros_with_a_code(string inputHex, FrameError code, bool throws = true)
    {
        var input = Convert.FromHexString(inputHex);

        if (!throws)
        {
            Assert.False(ClientIntro.TryRead(input, out _, out _));
            return;
        }

        var ex = Assert.Throws<FrameProtocolException>(() => ClientIntro.TryRead(input, out _, out _));
        Assert.Equal(code, ex.Code);
    }
}
