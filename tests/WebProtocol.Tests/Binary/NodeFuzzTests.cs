using System.IO.Compression;
using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Tests.Binary;

/// <summary>
/// Seeded mutation fuzzing of the node reader and the frame envelope: whatever the bytes, only
/// <see cref="WireFormatException"/> escapes, and no input makes the decoder allocate far beyond its own size.
/// </summary>
public sealed class NodeFuzzTests
{
    private const int Iterations = 100_000;
    private const int MaxInflated = 64 * 1024;

    private static readonly byte[][] Seeds = NodeCorpus.Generate(200, seed: 7)
        .Select(NodeWriter.Encode)
        .Where(bytes => bytes.Length < 4096)
        .Concat(NodeVectorTests.DecodeOnly.Select(row => Convert.FromHexString((string)row[0])))
        .ToArray();

    [Fact]
    public void Node_reader_survives_mutated_and_truncated_input()
    {
        var random = new Random(1);
        var outcomes = new int[2];
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, Seeds[random.Next(Seeds.Length)]);
            outcomes[DecodeBounded(input, () => NodeReader.Decode(input), input.Length * 96L)]++;
        }

        // Both paths must be exercised, or the mutations are too mild or too wild to mean anything.
        Assert.True(outcomes[0] > Iterations / 100, $"only {outcomes[0]} inputs decoded");
        Assert.True(outcomes[1] > Iterations / 2, $"only {outcomes[1]} inputs were rejected");
    }

    [Fact]
    public void Frame_decoder_survives_mutated_plain_and_zlib_frames()
    {
        var random = new Random(2);
        var frames = Seeds.Take(60).SelectMany(seed => new[] { Frame(seed, compressed: false), Frame(seed, compressed: true) }).ToArray();
        var outcomes = new int[2];
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, frames[random.Next(frames.Length)]);
            var budget = (input.Length > 0 && (input[0] & NodeFrame.CompressedFlag) != 0 ? 4L * MaxInflated * 96 : 0) + (input.Length * 96L);
            outcomes[DecodeBounded(input, () => NodeFrame.Decode(input, MaxInflated), budget)]++;
        }

        Assert.True(outcomes[0] > Iterations / 100, $"only {outcomes[0]} frames decoded");
        Assert.True(outcomes[1] > Iterations / 2, $"only {outcomes[1]} frames were rejected");
    }

    // 0 = decoded, 1 = WireFormatException; anything else fails the test through the exception itself.
    private static int DecodeBounded(byte[] input, Func<Node> decode, long budget)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        int outcome;
        try
        {
            decode();
            outcome = 0;
        }
        catch (WireFormatException)
        {
            outcome = 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The constant covers an exception with its stack trace and the pooled buffers' first use.
        Assert.True(allocated <= budget + 256 * 1024, $"{allocated} bytes allocated for a {input.Length}-byte input");
        return outcome;
    }

    private static byte[] Frame(byte[] node, bool compressed)
    {
        if (!compressed)
        {
            return [0, .. node];
        }

        using var output = new MemoryStream();
        output.WriteByte(NodeFrame.CompressedFlag);
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(node);
        }

        return output.ToArray();
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = seed.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    // Tag bytes and lengths at their edges are where decoders go wrong.
                    bytes[at] = (byte)(random.Next(3) == 0 ? random.Next(236, 256) : random.Next(2) == 0 ? 0xFF : random.Next(256));
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 4:
                    bytes.RemoveAt(at);
                    break;
                default:
                    var from = random.Next(bytes.Count);
                    var length = Math.Min(random.Next(1, 16), bytes.Count - from);
                    bytes.InsertRange(at, bytes.GetRange(from, length));
                    break;
            }
        }

        return bytes.ToArray();
    }
}
