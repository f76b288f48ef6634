using System.Globalization;

namespace Gateway.Benchmarks.Capacity;

/// <summary>
/// The gateway's runtime counters from its /metrics (allocated bytes, collections by generation): allocation per
/// message does not depend on how busy the shared cores are, so it shows a change in work per message where CPU
/// time and msg/s are blurred by other processes.
/// </summary>
internal sealed record GatewayCounters(double AllocatedBytes, double Gen0, double Gen1, double Gen2, double Commits, double Reads)
{
    public static async Task<GatewayCounters> ReadAsync(HttpClient api, CancellationToken cancellationToken)
    {
        var text = await api.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (line.Length > 0 && line[0] != '#' && space > 0)
            {
                values[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }
        }

        double Value(string key) => values.GetValueOrDefault(key);
        return new GatewayCounters(
            Value("dotnet_gc_allocated_bytes_total"),
            Value("dotnet_gc_collections_total{generation=\"0\"}"),
            Value("dotnet_gc_collections_total{generation=\"1\"}"),
            Value("dotnet_gc_collections_total{generation=\"2\"}"),
            Value("gateway_store_commits_total"),
            Value("gateway_store_reads_total"));
    }

    /// <summary>"allocated 41.2 KB/msg, GCs 12/3/0; store per msg: 3.1 commits, ..." for what happened since <paramref name="before"/>.</summary>
    public string Since(GatewayCounters before, int messages)
    {
        var n = (double)Math.Max(1, messages);
        return string.Create(CultureInfo.InvariantCulture,
            $"gateway allocated {(AllocatedBytes - before.AllocatedBytes) / 1024 / n:F1} KB/msg, GCs gen0/1/2 {Gen0 - before.Gen0}/{Gen1 - before.Gen1}/{Gen2 - before.Gen2}; " +
            $"store per msg (both tenants): {(Commits - before.Commits) / n:F2} commits, {(Reads - before.Reads) / n:F1} reads");
    }
}
