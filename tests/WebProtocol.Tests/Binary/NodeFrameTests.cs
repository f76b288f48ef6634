using System.IO.Compression;
using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Tests.Binary;

public sealed class NodeFrameTests
{
    private static readonly Node Sample = new("iq", new() { ["id"] = "1234.5678-9", ["type"] = "get", ["to"] = "@s.whatsapp.net" });

    [Fact]
    public void Encode_prefixes_flag_zero()
    {
        Assert.Equal("00f8071908ff861234b5678a9f042911fa0003", Convert.ToHexStringLower(NodeFrame.Encode(Sample)));
    }

    [Fact]
    public void Compressed_frame_inflates()
    {
        var frame = Compress(NodeWriter.Encode(Sample));
        Assert.Equal(NodeText.Format(Sample), NodeText.Format(NodeFrame.Decode(frame)));
    }

    [Fact]
    public void Other_flag_bits_are_ignored_like_baileys()
    {
        var frame = NodeFrame.Encode(Sample);
        frame[0] = 0x01;
        Assert.Equal(NodeText.Format(Sample), NodeText.Format(NodeFrame.Decode(frame)));
    }

    [Fact]
    public void Zip_bomb_is_rejected_within_the_limit()
    {
        // 64 MiB of zeros inflates from about 64 KiB; the default limit is 16 MiB.
        using var output = new MemoryStream();
        output.WriteByte(NodeFrame.CompressedFlag);
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++)
            {
                zlib.Write(zeros);
            }
        }

        var bomb = output.ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<WireFormatException>(() => NodeFrame.Decode(bomb));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 3L * NodeFrame.DefaultMaxInflatedLength, $"{allocated} bytes allocated");
    }

    [Theory]
    [InlineData("")]
    [InlineData("02")]
    [InlineData("020000")]
    [InlineData("02789c")]
    [InlineData("00")]
    public void Malformed_frames_throw_wire_format_exception(string hex)
    {
        Assert.Throws<WireFormatException>(() => NodeFrame.Decode(Convert.FromHexString(hex)));
    }

    private static byte[] Compress(byte[] node)
    {
        using var output = new MemoryStream();
        output.WriteByte(NodeFrame.CompressedFlag);
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(node);
        }

        return output.ToArray();
    }
}
