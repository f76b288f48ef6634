using BenchmarkDotNet.Attributes;
using Gateway.Interop;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Tests.Binary;

namespace Gateway.Benchmarks;

/// <summary>
/// Encode and decode of the seeded node corpus (the one the Baileys cross-check uses). The setup exports the
/// corpus to BenchmarkDotNet.Artifacts/binary-corpus.json so tests/Interop/binary/bench.mjs times Baileys on the
/// very same nodes. "Stanzas" leaves out the node with the 2^20-byte boundary payloads, whose copying would
/// otherwise dominate both sides. See docs/benchmarks.md.
/// </summary>
[MemoryDiagnoser]
public class BinaryCodecBenchmarks
{
    private Node[] corpus = [];
    private byte[][] encoded = [];
    private Node[] stanzas = [];
    private byte[][] encodedStanzas = [];

    public static string CorpusPath { get; } =
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(NodeHarness.InteropDirectory))!, "BenchmarkDotNet.Artifacts", "binary-corpus.json");

    [GlobalSetup]
    public void Setup()
    {
        corpus = [.. NodeCorpus.Generate()];
        encoded = [.. corpus.Select(NodeWriter.Encode)];
        stanzas = [.. corpus.Where(n => n.Tag != "boundaries")];
        encodedStanzas = [.. stanzas.Select(NodeWriter.Encode)];
        Directory.CreateDirectory(Path.GetDirectoryName(CorpusPath)!);
        using var file = File.Create(CorpusPath);
        NodeJson.WriteCorpus(file, corpus);
    }

    [Benchmark]
    public int EncodeCorpus()
    {
        var total = 0;
        foreach (var node in corpus)
        {
            total += NodeWriter.Encode(node).Length;
        }

        return total;
    }

    [Benchmark]
    public int DecodeCorpus()
    {
        var total = 0;
        foreach (var bytes in encoded)
        {
            total += NodeReader.Decode(bytes).Attributes.Count;
        }

        return total;
    }

    [Benchmark]
    public int EncodeStanzas()
    {
        var total = 0;
        foreach (var node in stanzas)
        {
            total += NodeWriter.Encode(node).Length;
        }

        return total;
    }

    [Benchmark]
    public int DecodeStanzas()
    {
        var total = 0;
        foreach (var bytes in encodedStanzas)
        {
            total += NodeReader.Decode(bytes).Attributes.Count;
        }

        return total;
    }
}
