using Gateway.WebProtocol.Noise;

namespace Gateway.WebProtocol.Tests.Noise;

public sealed class FrameCodecTests
{
    [Theory]
    [InlineData("", false, "", 0)]
    [InlineData("00", false, "", 0)]
    [InlineData("0000", false, "", 0)]
    [InlineData("000000", true, "", 3)]
    [InlineData("000001", false, "", 0)]
    [InlineData("000001aa", true, "aa", 4)]
    [InlineData("000002aabb000001cc", true, "aabb", 5)]
    [InlineData("000003aabb", false, "", 0)]
    [InlineData("000100" + "00", false, "", 0)]
    public void TryReadFrame_vectors(string inputHex, bool complete, string payloadHex, int consumed)
    {
        var input = Convert.FromHexString(inputHex);

        var ok = FrameCodec.TryReadFrame(input, out var payload, out var used);

        Assert.Equal(complete, ok);
        Assert.Equal(payloadHex, Convert.ToHexStringLower(payload));
        Assert.Equal(consumed, used);
    }

    [Theory]
    [InlineData("000005", 4)]
    [InlineData("ffffff", 1024)]
    [InlineData("010000", 0xFFFF)]
    public void TryReadFrame_rejects_a_declared_length_over_the_limit(string headerHex, int limit)
    {
        var header = Convert.FromHexString(headerHex);

        var ex = Assert.Throws<FrameProtocolException>(() => FrameCodec.TryReadFrame(header, limit, out _, out _));

        Assert.Equal(FrameError.FrameTooLarge, ex.Code);
    }

    [Fact]
    public void Largest_declared_length_is_accepted_under_the_default_limit_and_waits_for_data()
    {
        Assert.False(FrameCodec.TryReadFrame(Convert.FromHexString("ffffff00"), out _, out var consumed));
        Assert.Equal(0, consumed);
    }

    [Theory]
    [InlineData("", "", "000000")]
    [InlineData("aabb", "", "000002aabb")]
    [InlineData("01", "57410603", "57410603" + "00000101")]
    public void EncodeFrame_vectors(string payloadHex, string prefixHex, string expectedHex)
    {
        var frame = FrameCodec.EncodeFrame(Convert.FromHexString(payloadHex), Convert.FromHexString(prefixHex));

        Assert.Equal(expectedHex, Convert.ToHexStringLower(frame));
    }

    [Fact]
    public void EncodeFrame_writes_a_big_endian_24_bit_length()
    {
        var payload = new byte[0x012345];

        var frame = FrameCodec.EncodeFrame(payload);

        Assert.Equal("012345", Convert.ToHexStringLower(frame.AsSpan(0, 3)));
        Assert.Equal(3 + 0x012345, frame.Length);
    }

    [Fact]
    public void EncodeFrame_refuses_a_payload_the_length_cannot_describe()
    {
        Assert.Throws<ArgumentException>(() => FrameCodec.EncodeFrame(new byte[FrameCodec.MaxPayloadLength + 1]));
    }
}
