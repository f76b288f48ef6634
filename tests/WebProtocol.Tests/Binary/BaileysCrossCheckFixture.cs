using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Gateway.Interop;
using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Tests.Binary;

/// <summary>
/// Runs tests/Interop/binary/codec.mjs once for the whole corpus: Baileys encodes every node, decodes our
/// encodings, decodes our frames (flag 0 and zlib flag 2) and deflates its own encodings for us.
/// </summary>
public sealed class BaileysCrossCheckFixture : IAsyncLifetime
{
    public IReadOnlyList<Node> Corpus { get; } = NodeCorpus.Generate();

    public IReadOnlyList<byte[]> OurEncodings { get; private set; } = [];

    /// <summary>Our frames: for node i, index 2i is flag 0 + node, 2i + 1 is flag 2 + zlib(node).</summary>
    public IReadOnlyList<byte[]> OurFrames { get; private set; } = [];

    public IReadOnlyList<byte[]> BaileysEncodings { get; private set; } = [];

    public IReadOnlyList<byte[]> BaileysDeflatedFrames { get; private set; } = [];

    /// <summary>Baileys' decoding of each of <see cref="OurEncodings"/>, or the error it raised.</summary>
    public IReadOnlyList<JsonElement> DecodedByBaileys { get; private set; } = [];

    public IReadOnlyList<JsonElement> FramesDecodedByBaileys { get; private set; } = [];

    public async Task InitializeAsync()
    {
        OurEncodings = Corpus.Select(NodeWriter.Encode).ToArray();
        OurFrames = OurEncodings.SelectMany(encoded => new[] { NodeFrame.Encode(NodeReader.Decode(encoded)), Deflated(encoded) }).ToArray();

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("nodes");
            foreach (var node in Corpus)
            {
                NodeJson.Write(writer, node);
            }

            writer.WriteEndArray();
            WriteBase64Array(writer, "encoded", OurEncodings);
            WriteBase64Array(writer, "frames", OurFrames);
            writer.WriteEndObject();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var output = await NodeHarness.RunAsync("binary/codec.mjs", Encoding.UTF8.GetString(buffer.WrittenSpan), timeout.Token);
        var root = JsonDocument.Parse(output).RootElement;
        BaileysEncodings = root.GetProperty("baileysEncoded").EnumerateArray().Select(e => e.GetBytesFromBase64()).ToArray();
        BaileysDeflatedFrames = root.GetProperty("baileysDeflatedFrames").EnumerateArray().Select(e => e.GetBytesFromBase64()).ToArray();
        DecodedByBaileys = root.GetProperty("decodedOurs").EnumerateArray().ToArray();
        FramesDecodedByBaileys = root.GetProperty("decodedFrames").EnumerateArray().ToArray();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static byte[] Deflated(byte[] encoded)
    {
        using var output = new MemoryStream();
        output.WriteByte(NodeFrame.CompressedFlag);
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(encoded);
        }

        return output.ToArray();
    }

    private static void WriteBase64Array(Utf8JsonWriter writer, string name, IReadOnlyList<byte[]> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteBase64StringValue(item);
        }

        writer.WriteEndArray();
    }
}
