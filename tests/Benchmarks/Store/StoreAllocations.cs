using System.Diagnostics;
using System.Globalization;
using Gateway.SessionStore;
using Gateway.SessionStore.Abstractions;
using Gateway.WebProtocol.Signal;

namespace Gateway.Benchmarks.Store;

/// <summary>
/// Managed bytes allocated per store operation of a message's path (`dotnet run -c Release --project
/// tests/Benchmarks -- store-alloc 2000`): allocation does not depend on how busy the machine is, so it shows where
/// the gateway's per-message allocation (and its GC time) comes from.
/// </summary>
internal static class StoreAllocations
{
    private static readonly AllocationTypes? Types = Environment.GetEnvironmentVariable("STORE_ALLOC_TYPES") == "1" ? new AllocationTypes() : null;

    public static async Task RunAsync(int count)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gateway-bench-" + Guid.NewGuid().ToString("N"));
        using (var store = TenantStore.Open(dir, "bench"))
        {
            var address = new ProtocolAddress("111_1", 1);
            var session = new SessionRecord();
            var payload = new byte[600];
            var n = 0;
            async Task<long[]> AppendAsync(int events) =>
                [.. await store.Outbox.AppendAsync(Enumerable.Range(0, events).Select(_ => new NewOutboxEvent($"e{n++}", "message", payload, DateTimeOffset.UnixEpoch)).ToList(), CancellationToken.None)];

            await MeasureAsync(store, "messages: put one record (own commit)", count, i => store.Messages.PutAsync([Record($"p{i}")], CancellationToken.None));
            await MeasureAsync(store, "messages: get by id", count, i => store.Messages.GetByIdAsync($"p{i}", CancellationToken.None));
            await MeasureAsync(store, "messages: update status (own commit)", count, i => store.Messages.UpdateStatusAsync([new MessageStatusUpdate($"p{i}", MessageStatus.Sent, DateTimeOffset.UnixEpoch, null)], CancellationToken.None));
            await MeasureAsync(store, "signal: load one session", count, _ => store.Signal.Sessions.LoadSessionAsync(address, CancellationToken.None).AsTask());
            await MeasureAsync(store, "outbox: append one event (own commit)", count, _ => AppendAsync(1));
            await MeasureAsync(store, "outbox: read pending (32 of many)", count, _ => store.Outbox.ReadPendingAsync(32, CancellationToken.None));
            var delivered = await AppendAsync(count);
            await MeasureAsync(store, "outbox: mark one delivered (own commit)", count, i => store.Outbox.MarkDeliveredAsync([delivered[i]], DateTimeOffset.UnixEpoch, 200, CancellationToken.None));
            await MeasureAsync(store, "unit of work: session + record + event (inbound)", count, i => store.RunInTransactionAsync(async (stores, ct) =>
            {
                await stores.Signal.Sessions.StoreSessionAsync(address, session, ct);
                await stores.Messages.PutAsync([Record($"u{i}")], ct);
                await stores.Outbox.AppendAsync([new NewOutboxEvent($"u{i}", "message", payload, DateTimeOffset.UnixEpoch)], ct);
            }, CancellationToken.None));
        }

        Directory.Delete(dir, recursive: true);
    }

    private static async Task MeasureAsync(TenantStore store, string label, int count, Func<int, Task> operation)
    {
        for (var i = 0; i < Math.Min(count, 200); i++)
        {
            await operation(i); // warm-up (and the records the later reads find)
        }

        // CPU of the whole process, so any thread the store's writes use counts toward them.
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        Types?.Reset();
        var commits = store.Commits;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < count; i++)
        {
            await operation(i);
        }

        var bytes = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)count;
        var types = Types?.Top(12).ToList();
        var commitsPerCall = (store.Commits - commits) / (double)count;
        Types?.Reset();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {bytes / 1024:F1} KB, {cpu:F0} us CPU, {commitsPerCall:F2} commits per call (n={count})"));
        foreach (var (type, sampled) in types ?? [])
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {sampled / 1024.0 / count,8:F1} KB  {type}"));
        }
    }

    private static MessageRecord Record(string id) => new()
    {
        Id = id, Direction = MessageDirection.Outbound, Chat = "4911@s.whatsapp.net", Status = MessageStatus.Queued,
        CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
