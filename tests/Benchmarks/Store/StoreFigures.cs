using System.Diagnostics;
using Gateway.SessionStore;
using Gateway.SessionStore.Abstractions;
using Gateway.WebProtocol.Signal;

namespace Gateway.Benchmarks.Store;

/// <summary>
/// Figures for docs/benchmarks.md that BenchmarkDotNet does not measure well: memory held by many open idle
/// tenant stores, and the latency distribution of the inbound-message unit of work.
/// `dotnet run -c Release --project tests/Benchmarks -- store-memory 200` / `-- store-commit 2000`
/// (GATEWAY_STORE_FSYNC=always|interval, BENCH_WARMUP_SECONDS, BENCH_CHECKPOINT_PAGES vary the commit run).
/// </summary>
internal static class StoreFigures
{
    public static async Task MemoryAsync(int tenants)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gateway-bench-" + Guid.NewGuid().ToString("N"));
        // Create the files first, so the measurement covers opening existing tenants as a restart would.
        for (var i = 0; i < tenants; i++)
        {
            using var s = TenantStore.Open(dir, $"t{i}");
            await s.Messages.PutAsync([Inbound($"seed-{i}")], CancellationToken.None);
        }
        using (TenantStore.Open(dir, "warmup"))
        {
        }
        var (managedBefore, wsBefore) = Snapshot();
        var stores = new List<TenantStore>();
        for (var i = 0; i < tenants; i++)
        {
            stores.Add(TenantStore.Open(dir, $"t{i}"));
        }
        var (managedAfter, wsAfter) = Snapshot();
        Console.WriteLine($"tenants={tenants} managed/tenant={(managedAfter - managedBefore) / tenants / 1024.0:F1} KB working-set/tenant={(wsAfter - wsBefore) / tenants / 1024.0:F1} KB");
        GC.KeepAlive(stores);
        stores.ForEach(s => s.Dispose());
        Directory.Delete(dir, recursive: true);
    }

    public static async Task CommitAsync(int count)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gateway-bench-" + Guid.NewGuid().ToString("N"));
        var options = new TenantStoreOptions
        {
            Fsync = FsyncPolicy.Parse(Environment.GetEnvironmentVariable(FsyncPolicy.EnvironmentVariable)),
        };
        using (var store = TenantStore.Open(dir, "bench", options))
        {
            var address = new ProtocolAddress("111_1", 1);
            var record = new SessionRecord();
            var payload = new byte[300];
            var samples = new double[count];
            // Warm up for a while, not a number of commits: the gateway is a long-lived process, and until tiered
            // compilation has promoted the store's hot paths a commit costs more than it does in steady state.
            var warmUp = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("BENCH_WARMUP_SECONDS") ?? "3", System.Globalization.CultureInfo.InvariantCulture));
            var warmUpStarted = Stopwatch.GetTimestamp();
            var n = 0;
            while (Stopwatch.GetElapsedTime(warmUpStarted) < warmUp || n < 200)
            {
                await CommitInboundAsync(store, address, record, payload, n++);
            }
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await CommitInboundAsync(store, address, record, payload, n++);
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            Array.Sort(samples);
            // The heap with this one busy store open: what a tenant that keeps writing holds (log, wal index, cache).
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            Console.WriteLine($"inbound unit of work (session + message record + outbox event), fsync={options.Fsync}, n={count}: p50={samples[count / 2]:F3} ms p90={samples[count * 9 / 10]:F3} ms p99={samples[count * 99 / 100]:F3} ms, managed heap after {heap / 1024.0 / 1024.0:F1} MB");
        }
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// The inbound unit of work on a store whose engine has closed for idleness (reopen included) against the same
    /// unit of work on an open engine, alternating, after the commit warm-up.
    /// </summary>
    public static async Task ReopenAsync(int count)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gateway-bench-" + Guid.NewGuid().ToString("N"));
        var idle = TimeSpan.FromMilliseconds(40);
        var options = new TenantStoreOptions { IdleClose = idle };
        using (var store = TenantStore.Open(dir, "bench", options))
        {
            var address = new ProtocolAddress("111_1", 1);
            var record = new SessionRecord();
            var payload = new byte[300];
            var n = 0;
            var warmUpStarted = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(warmUpStarted) < TimeSpan.FromSeconds(3))
            {
                await CommitInboundAsync(store, address, record, payload, n++);
            }
            var reopened = new double[count];
            var open = new double[count];
            for (var i = 0; i < count; i++)
            {
                while (store.EngineOpen)
                {
                    await Task.Delay(idle / 2);
                }
                var started = Stopwatch.GetTimestamp();
                await CommitInboundAsync(store, address, record, payload, n++);
                reopened[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                started = Stopwatch.GetTimestamp();
                await CommitInboundAsync(store, address, record, payload, n++);
                open[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            Array.Sort(reopened);
            Array.Sort(open);
            Console.WriteLine($"inbound unit of work after an idle close (reopen included), n={count}: p50={reopened[count / 2]:F3} ms p99={reopened[count * 99 / 100]:F3} ms; " +
                $"on the open engine right after: p50={open[count / 2]:F3} ms p99={open[count * 99 / 100]:F3} ms ({n} commits in the file)");
        }
        Directory.Delete(dir, recursive: true);
    }

    // The inbound-message unit of work: the new Signal session state, the message record and its webhook event.
    private static Task CommitInboundAsync(TenantStore store, ProtocolAddress address, SessionRecord record, byte[] payload, int n) =>
        store.RunInTransactionAsync(async (stores, ct) =>
        {
            await stores.Signal.Sessions.StoreSessionAsync(address, record, ct);
            await stores.Messages.PutAsync([Inbound($"m{n}")], ct);
            await stores.Outbox.AppendAsync([new NewOutboxEvent($"e{n}", "message", payload, DateTimeOffset.UnixEpoch)], ct);
        }, CancellationToken.None);

    private static MessageRecord Inbound(string id) => new()
    {
        Id = id, Direction = MessageDirection.Inbound, Chat = "4911@s.whatsapp.net", Status = MessageStatus.Received,
        CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private static (long Managed, long WorkingSet) Snapshot()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), self.WorkingSet64);
    }
}
