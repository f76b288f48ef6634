using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Gateway.Observability;

/// <summary>
/// The counters /metrics exposes in Prometheus text format. Gauges that describe current state (sessions by
/// status) are read from their owners at scrape time through <see cref="AddGauge"/>, not kept here.
/// </summary>
public sealed class GatewayMetrics
{
    private readonly ConcurrentDictionary<(string Name, string Labels), long> counters = new();
    private readonly ConcurrentDictionary<string, (string Help, Func<IEnumerable<(string Labels, double Value)>> Read)> gauges = new();
    private readonly ConcurrentDictionary<string, string> help = new();
    private readonly ConcurrentDictionary<string, (string Help, Func<IEnumerable<(string Labels, double Value)>> Read)> sampledCounters = new();

    public GatewayMetrics()
    {
        // The process's own cost, so CPU and allocation per message can be read next to the message counters.
        AddSampledCounter("process_cpu_seconds_total", "CPU time of the gateway process (user and system), in seconds.",
            () => [("", Environment.CpuUsage.TotalTime.TotalSeconds)]);
        AddSampledCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.",
            () => [("", GC.GetTotalAllocatedBytes())]);
        AddSampledCounter("dotnet_gc_collections_total", "Garbage collections since the process started, by generation.",
            () => Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => (Label("generation", g.ToString(CultureInfo.InvariantCulture)), (double)GC.CollectionCount(g))));
    }

    public void Increment(string name, string helpText, string labels = "", long by = 1)
    {
        help.TryAdd(name, helpText);
        counters.AddOrUpdate((name, labels), by, (_, value) => value + by);
    }

    public long Read(string name, string labels = "") => counters.GetValueOrDefault((name, labels));

    public void AddGauge(string name, string helpText, Func<IEnumerable<(string Labels, double Value)>> read) =>
        gauges[name] = (helpText, read);

    /// <summary>A counter kept by someone else (the runtime), read at scrape time.</summary>
    public void AddSampledCounter(string name, string helpText, Func<IEnumerable<(string Labels, double Value)>> read) =>
        sampledCounters[name] = (helpText, read);

    public string Render()
    {
        var text = new StringBuilder();
        foreach (var (name, counter) in sampledCounters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(counter.Help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" counter\n");
            foreach (var (labels, value) in counter.Read())
            {
                Sample(text, name, labels, value);
            }
        }

        foreach (var group in counters.GroupBy(c => c.Key.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append("# HELP ").Append(group.Key).Append(' ').Append(help.GetValueOrDefault(group.Key, group.Key)).Append('\n');
            text.Append("# TYPE ").Append(group.Key).Append(" counter\n");
            foreach (var counter in group.OrderBy(c => c.Key.Labels, StringComparer.Ordinal))
            {
                Sample(text, group.Key, counter.Key.Labels, counter.Value);
            }
        }

        foreach (var (name, gauge) in gauges.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(gauge.Help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" gauge\n");
            foreach (var (labels, value) in gauge.Read())
            {
                Sample(text, name, labels, value);
            }
        }

        return text.ToString();
    }

    /// <summary>Formats one label pair, escaping as the exposition format requires.</summary>
    public static string Label(string name, string value) =>
        $"{name}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"";

    private static void Sample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}

/// <summary>Metric names in one place, so dashboards and code agree.</summary>
public static class MetricNames
{
    public const string MessagesIn = "gateway_messages_in_total";
    public const string MessagesOut = "gateway_messages_out_total";
    public const string Reconnects = "gateway_reconnects_total";
    public const string WebhookDeliveries = "gateway_webhook_deliveries_total";
    public const string Sessions = "gateway_sessions";
    public const string StoreEnginesOpen = "gateway_store_engines_open";
    public const string StoreCommits = "gateway_store_commits_total";
    public const string StoreReads = "gateway_store_reads_total";
}
