using Gateway.WebProtocol.Noise;

namespace Gateway.WebProtocol.Tests.Noise;

public sealed class FrameDecoderTests
{
    [Fact]
    public void Coalesced_frames_come_out_one_by_one()
    {
        var decoder = new FrameDecoder();
        decoder.Append(Convert.FromHexString("000001aa" + "000000" + "000002bbcc"));

        Assert.Equal(["aa", "", "bbcc"], ReadAll(decoder));
        Assert.Equal(0, decoder.BufferedLength);
    }

    [Fact]
    public void A_frame_split_byte_by_byte_comes_out_once_complete()
    {
        var decoder = new FrameDecoder();
        var stream = Convert.FromHexString("000003010203" + "000001ff");
        var frames = new List<string>();
        foreach (var b in stream)
        {
            decoder.Append([b]);
            frames.AddRange(ReadAll(decoder));
        }

        Assert.Equal(["010203", "ff"], frames);
    }

    [Fact]
    public void Server_side_strips_the_intro_and_the_routing_prefix_before_the_first_frame()
    {
        var decoder = new FrameDecoder(expectClientIntro: true);
        decoder.Append(Convert.FromHexString("45440001000002beef57"));
        Assert.Empty(ReadAll(decoder));
        decoder.Append(Convert.FromHexString("410603000001aa000003574106"));

        Assert.Equal(["aa", "574106"], ReadAll(decoder));
        Assert.Equal("beef", Convert.ToHexStringLower(decoder.RoutingInfo!));
    }

    [Fact]
    public void Oversize_frame_is_a_protocol_error()
    {
        var decoder = new FrameDecoder(maxPayloadLength: 16);
        decoder.Append(Convert.FromHexString("000011"));

        var ex = Assert.Throws<FrameProtocolException>(() => decoder.TryReadFrame(out _));
        Assert.Equal(FrameError.FrameTooLarge, ex.Code);
    }

    [Fact]
    public void Large_frames_survive_arbitrary_chunking_byte_exact()
    {
        var random = new Random(1234);
        var payloads = Enumerable.Range(0, 20).Select(i => RandomBytes(random, random.Next(0, 200_000))).ToList();
        var stream = payloads.SelectMany(p => FrameCodec.EncodeFrame(p)).ToArray();
        var decoder = new FrameDecoder();
        var received = new List<byte[]>();
        for (var offset = 0; offset < stream.Length;)
        {
            var size = Math.Min(stream.Length - offset, random.Next(1, 100_000));
            decoder.Append(stream.AsSpan(offset, size));
            offset += size;
            while (decoder.TryReadFrame(out var frame))
            {
                received.Add(frame);
            }
        }

        Assert.Equal(payloads.Count, received.Count);
        for (var i = 0; i < payloads.Count; i++)
        {
            Assert.Equal(payloads[i], received[i]);
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static List<string> ReadAll(FrameDecoder decoder)
    {
        var frames = new List<string>();
        while (decoder.TryReadFrame(out var frame))
        {
            frames.Add(Convert.ToHexStringLower(frame));
        }

        return frames;
    }
}
