using Gateway.WebProtocol.Noise;

namespace Gateway.WebProtocol.Tests.Noise;

/// <summary>
/// Seeded mutation fuzzing of the framer and intro parser: every outcome must be frames, "need more", or the
/// framer's typed error; nothing else may escape, and the decoder never holds more than it was given.
/// </summary>
public sealed class FrameFuzzTests
{
    private const int Iterations = 100_000;

    [Fact]
    public void Mutated_and_truncated_streams_only_yield_frames_or_typed_errors()
    {
        var random = new Random(20240601);
        var seeds = BuildSeeds(random);
        var outcomes = new int[3];
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, seeds[random.Next(seeds.Count)]);
            var server = (i & 1) == 0;
            var decoder = new FrameDecoder(
                expectClientIntro: server, maxPayloadLength: server ? FrameCodec.MaxPayloadLength : 1 << 16, maxRoutingInfoLength: 64);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var returned = 0L;
                foreach (var chunk in Chunk(random, input))
                {
                    decoder.Append(chunk);
                    while (decoder.TryReadFrame(out var frame))
                    {
                        returned += frame.Length;
                    }

                    Assert.True(decoder.BufferedLength <= input.Length);
                }

                Assert.True(returned <= input.Length);
                outcomes[returned > 0 ? 0 : 1]++;
            }
            catch (FrameProtocolException ex)
            {
                Assert.True(Enum.IsDefined(ex.Code));
                outcomes[2]++;
            }

            // Buffer growth is bounded by received bytes: a few copies of the input plus fixed overhead,
            // never a declared length (up to 16 MiB here).
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            Assert.True(allocated < (8L * input.Length) + 16_384, $"iteration {i}: {allocated} bytes for {input.Length}");
        }

        // The corpus must exercise all three outcomes, or the fuzzer is not testing much.
        Assert.All(outcomes, count => Assert.True(count > Iterations / 50, string.Join(",", outcomes)));
    }

    [Fact]
    public void Intro_parser_on_random_prefixes_never_throws_anything_else()
    {
        var random = new Random(77);
        var valid = ClientIntro.Build(Convert.FromHexString("0102030405"));
        for (var i = 0; i < Iterations; i++)
        {
            var input = random.Next(4) == 0 ? RandomBytes(random, random.Next(0, 16)) : Mutate(random, valid);
            try
            {
                if (ClientIntro.TryRead(input, 64, out var consumed, out var routing))
                {
                    Assert.InRange(consumed, 4, input.Length);
                    Assert.InRange(routing.End.GetOffset(input.Length), 0, consumed);
                }
            }
            catch (FrameProtocolException)
            {
            }
        }
    }

    private static List<byte[]> BuildSeeds(Random random)
    {
        var clientStream = new List<byte>(ClientIntro.Build(Convert.FromHexString("aabbcc")));
        var plainStream = new List<byte>();
        for (var i = 0; i < 6; i++)
        {
            var frame = FrameCodec.EncodeFrame(RandomBytes(random, random.Next(0, 40)));
            clientStream.AddRange(frame);
            plainStream.AddRange(frame);
        }

        return
        [
            [.. clientStream],
            [.. plainStream],
            [.. ClientIntro.Build(), .. FrameCodec.EncodeFrame(RandomBytes(random, 10))],
        ];
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = new List<byte>(seed);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                default:
                    bytes[at] = 0xFF;
                    break;
            }
        }

        return [.. bytes];
    }

    private static IEnumerable<byte[]> Chunk(Random random, byte[] input)
    {
        for (var offset = 0; offset < input.Length;)
        {
            var size = Math.Min(input.Length - offset, random.Next(1, 24));
            yield return input.AsSpan(offset, size).ToArray();
            offset += size;
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
