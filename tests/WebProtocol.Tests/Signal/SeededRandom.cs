using System.Security.Cryptography;

namespace Gateway.WebProtocol.Tests.Signal;

/// <summary>A deterministic stand-in for the CSPRNG so that key material in tests is reproducible.</summary>
internal sealed class SeededRandom(int seed) : RandomNumberGenerator
{
    private readonly Random random = new(seed);

    public override void GetBytes(byte[] data) => random.NextBytes(data);

    public override void GetBytes(Span<byte> data) => random.NextBytes(data);

    public override void GetNonZeroBytes(byte[] data) => GetNonZeroBytes(data.AsSpan());

    public override void GetNonZeroBytes(Span<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)random.Next(1, 256);
        }
    }

    public int Next(int maxExclusive) => random.Next(maxExclusive);
}
