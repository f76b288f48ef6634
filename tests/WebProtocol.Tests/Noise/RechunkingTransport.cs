using Gateway.WebProtocol.Transport;

namespace Gateway.WebProtocol.Tests.Noise;

/// <summary>
/// Passes messages through until <see cref="Hold"/> is set; then it collects outgoing bytes and
/// <see cref="FlushAsync"/> sends them cut at chosen offsets, so frames share or straddle transport messages.
/// </summary>
internal sealed class RechunkingTransport(IDuplexTransport inner) : IDuplexTransport
{
    private readonly List<byte> held = [];

    public bool Hold { get; set; }

    public int HeldLength => held.Count;

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!Hold)
        {
            return inner.SendAsync(data, cancellationToken);
        }

        held.AddRange(data.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends the held bytes as one message per range between consecutive <paramref name="cuts"/>.</summary>
    public async Task FlushAsync(IEnumerable<int> cuts, CancellationToken cancellationToken)
    {
        var bytes = held.ToArray();
        held.Clear();
        var start = 0;
        foreach (var cut in cuts.Append(bytes.Length))
        {
            await inner.SendAsync(bytes.AsMemory(start, cut - start), cancellationToken);
            start = cut;
        }
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public ValueTask CloseAsync(CancellationToken cancellationToken) => inner.CloseAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
