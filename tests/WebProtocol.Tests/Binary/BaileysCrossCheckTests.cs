using System.Text.Json;
using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Tests.Binary;

/// <summary>Our codec against stock Baileys over the seeded corpus, in both directions.</summary>
public sealed class BaileysCrossCheckTests(BaileysCrossCheckFixture fixture) : IClassFixture<BaileysCrossCheckFixture>
{
    [Fact]
    public void Corpus_is_large_and_covers_the_edge_cases()
    {
        Assert.True(fixture.Corpus.Count >= 500);
        var all = fixture.Corpus.SelectMany(Descendants).ToArray();
        Assert.Contains(all, n => n.Children.Count > 255);
        Assert.Contains(all, n => n.Bytes?.Length == 1 << 20);
        Assert.Contains(all, n => n.Bytes?.Length == (1 << 20) - 1);
        Assert.Contains(all, n => n.Bytes?.Length == 255);
        Assert.Contains(all, n => n.Bytes?.Length == 256);
        Assert.Contains(all, n => n.Text?.Length == 127);
        Assert.Contains(all, n => n.Text?.Length == 128);
        foreach (var server in new[] { "@s.whatsapp.net", "@lid", "@g.us", "status@broadcast", "@newsletter", "@hosted", "@hosted.lid", "@bot", "@c.us" })
        {
            Assert.Contains(all, n => n.Attributes.Any(a => a.Value.EndsWith(server, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Our_bytes_decode_in_baileys_to_the_same_node()
    {
        for (var i = 0; i < fixture.Corpus.Count; i++)
        {
            var ours = NodeReader.Decode(fixture.OurEncodings[i]);
            Assert.Equal(NodeText.Format(NodeCorpus.ExpectedAfterRoundTrip(fixture.Corpus[i])), NodeText.Format(ours));
            Assert.Equal(NodeText.Format(ours), NodeText.Format(FromBaileys(fixture.DecodedByBaileys[i])));
        }
    }

    [Fact]
    public void Our_frames_plain_and_zlib_decode_in_baileys()
    {
        for (var i = 0; i < fixture.OurFrames.Count; i++)
        {
            var expected = NodeText.Format(NodeReader.Decode(fixture.OurEncodings[i / 2]));
            Assert.Equal(expected, NodeText.Format(FromBaileys(fixture.FramesDecodedByBaileys[i])));
        }
    }

    [Fact]
    public void Baileys_bytes_decode_in_ours_to_the_same_node()
    {
        for (var i = 0; i < fixture.Corpus.Count; i++)
        {
            var frame = fixture.BaileysEncodings[i];
            Assert.Equal(0, frame[0]);
            var expected = NodeText.Format(NodeCorpus.ExpectedAfterRoundTrip(fixture.Corpus[i]));
            Assert.Equal(expected, NodeText.Format(NodeReader.Decode(frame.AsSpan(1))));
            Assert.Equal(expected, NodeText.Format(NodeFrame.Decode(frame)));
            Assert.Equal(expected, NodeText.Format(NodeFrame.Decode(fixture.BaileysDeflatedFrames[i])));
        }
    }

    [Fact]
    public void Our_bytes_are_identical_to_baileys()
    {
        for (var i = 0; i < fixture.Corpus.Count; i++)
        {
            Assert.True(fixture.BaileysEncodings[i].AsSpan(1).SequenceEqual(fixture.OurEncodings[i]), $"node {i} differs: {fixture.Corpus[i]}");
            Assert.True(fixture.BaileysEncodings[i].AsSpan().SequenceEqual(NodeFrame.Encode(fixture.Corpus[i])), $"frame {i} differs");
        }
    }

    private static Node FromBaileys(JsonElement json)
    {
        Assert.False(json.TryGetProperty("error", out var error), $"Baileys failed: {error}");
        return NodeJson.Read(json);
    }

    private static IEnumerable<Node> Descendants(Node node) => [node, .. node.Children.SelectMany(Descendants)];
}
