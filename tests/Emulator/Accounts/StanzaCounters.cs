using System.Collections.Concurrent;

namespace Gateway.Emulator.Accounts;

/// <summary>How many stanzas of each tag a device sent to the server (message, receipt, iq, ack...).</summary>
public sealed class StanzaCounters
{
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

    internal void Increment(string tag) => counts.AddOrUpdate(tag, 1, static (_, n) => n + 1);

    public long this[string tag] => counts.TryGetValue(tag, out var n) ? n : 0;

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(counts, StringComparer.Ordinal);
}
