using BenchmarkDotNet.Attributes;
using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Signal;

namespace Gateway.Benchmarks;

/// <summary>Noise costs per connection (full handshake, both sides, certificate check) and per frame.</summary>
[MemoryDiagnoser]
public class NoiseBenchmarks
{
    private readonly byte[] frame = new byte[1024];
    private KeyPair root = null!;
    private KeyPair serverStatic = null!;
    private KeyPair clientStatic = null!;
    private byte[] chain = [];
    private TransportCipher encryptor = null!;
    private byte[] framedStream = [];

    [GlobalSetup]
    public void Setup()
    {
        root = Curve25519.GenerateKeyPair();
        serverStatic = Curve25519.GenerateKeyPair();
        clientStatic = Curve25519.GenerateKeyPair();
        chain = NoiseCertificateFactory.CreateChain(
            root, Curve25519.GenerateKeyPair(), serverStatic.PublicKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        encryptor = new TransportCipher(new byte[32]);
        framedStream = Enumerable.Range(0, 64).SelectMany(_ => FrameCodec.EncodeFrame(frame)).ToArray();
    }

    [Benchmark(Description = "handshake, both sides, cert verified")]
    public int Handshake()
    {
        using var initiator = new NoiseInitiator(clientStatic, new NoiseCertificateVerifier(root.PublicKey, TimeProvider.System));
        using var responder = new NoiseResponder(serverStatic, chain);
        responder.ReadClientHello(initiator.WriteClientHello());
        initiator.ReadServerHello(responder.WriteServerHello());
        responder.ReadClientFinish(initiator.WriteClientFinish(frame.AsSpan(0, 200)));
        var (a, b) = initiator.Split();
        var (c, d) = responder.Split();
        a.Dispose();
        b.Dispose();
        c.Dispose();
        d.Dispose();
        return responder.ClientPayload.Length;
    }

    [Benchmark(Description = "transport encrypt 1 KiB")]
    public int EncryptFrame()
    {
        // A fresh counter per 2^32 frames is far beyond what a benchmark run reaches.
        return encryptor.Encrypt(frame).Length;
    }

    [Benchmark(Description = "decode 64 x 1 KiB frames in 4 KiB chunks")]
    public int DecodeFrames()
    {
        var decoder = new FrameDecoder();
        var count = 0;
        for (var offset = 0; offset < framedStream.Length; offset += 4096)
        {
            decoder.Append(framedStream.AsSpan(offset, Math.Min(4096, framedStream.Length - offset)));
            while (decoder.TryReadFrame(out _))
            {
                count++;
            }
        }

        return count;
    }
}
