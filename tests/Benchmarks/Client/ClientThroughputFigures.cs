using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gateway.Interop;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Types;

namespace Gateway.Benchmarks.Client;

/// <summary>
/// End-to-end text throughput through one emulator process: two of our clients, then two stock Baileys
/// clients (tests/Interop/bench/baileys-throughput.mjs), same machine, same run. The sender awaits each send
/// call; the clock stops when the receiver has decrypted the last message.
/// `dotnet run -c Release --project tests/Benchmarks -- client-throughput 10000`.
/// </summary>
internal static class ClientThroughputFigures
{
    private const int Warmup = 300;

    public static async Task ThroughputAsync(int count)
    {
        await using var emulator = await EmulatorProcess.StartAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ours = await OursAsync(emulator, count, limit.Token);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ours:    {count} texts in {ours.Seconds:F2} s = {count / ours.Seconds:F0} msg/s; " +
            $"allocated {ours.AllocatedBytes / (double)count / 1024:F1} KB/message (sender + receiver, whole process); " +
            $"GCs gen0/1/2 {ours.Gen0}/{ours.Gen1}/{ours.Gen2}"));

        var input = new JsonObject
        {
            ["url"] = emulator.WebSocketUrl.ToString(), ["root"] = emulator.RootPublicKeyHex, ["admin"] = emulator.AdminUrl.ToString(),
            ["count"] = count, ["warmup"] = Warmup, ["phones"] = new JsonArray("15550009003", "15550009004"),
        };
        var output = await NodeHarness.RunAsync("bench/baileys-throughput.mjs", input.ToJsonString(), limit.Token);
        using var result = JsonDocument.Parse(output);
        var baileysSeconds = result.RootElement.GetProperty("seconds").GetDouble();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"baileys: {count} texts in {baileysSeconds:F2} s = {count / baileysSeconds:F0} msg/s; " +
            $"heap used {result.RootElement.GetProperty("heapBefore").GetDouble() / 1048576:F0} -> {result.RootElement.GetProperty("heapAfter").GetDouble() / 1048576:F0} MB, " +
            $"rss {result.RootElement.GetProperty("rssBefore").GetDouble() / 1048576:F0} -> {result.RootElement.GetProperty("rssAfter").GetDouble() / 1048576:F0} MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio:   ours / baileys = {baileysSeconds / ours.Seconds:F2}x"));
    }

    private static async Task<(double Seconds, long AllocatedBytes, int Gen0, int Gen1, int Gen2)> OursAsync(
        EmulatorProcess emulator, int count, CancellationToken cancellationToken)
    {
        await using var sender = await PairAsync(emulator, "15550009001", cancellationToken);
        await using var receiver = await PairAsync(emulator, "15550009002", cancellationToken);
        var to = new Jid("15550009002", JidServer.User);
        _ = DrainAsync(sender.Events, _ => { });
        var received = 0;
        var wanted = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = DrainAsync(receiver.Events, e =>
        {
            if (e is MessageReceivedEvent && Interlocked.Increment(ref received) == Volatile.Read(ref wanted))
            {
                all.TrySetResult();
            }
        });

        async Task<double> RunAsync(int n, string label)
        {
            Volatile.Write(ref received, 0);
            Volatile.Write(ref wanted, n);
            all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
            {
                await sender.SendTextAsync(to, label + " " + i.ToString(CultureInfo.InvariantCulture), cancellationToken);
            }

            await all.Task.WaitAsync(cancellationToken);
            return clock.Elapsed.TotalSeconds;
        }

        await RunAsync(Warmup, "warmup");
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var seconds = await RunAsync(count, "message");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return (seconds, allocated, GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
    }

    private static async Task<WaClient> PairAsync(EmulatorProcess emulator, string phone, CancellationToken cancellationToken)
    {
        var client = new WaClient(
            new WaClientOptions
            {
                WebSocketUrl = emulator.WebSocketUrl,
                RootPublicKey = Convert.FromHexString(emulator.RootPublicKeyHex),
                InitialPreKeyCount = 30,
            },
            WaClientStores.InMemory());
        if (await client.ConnectAsync(cancellationToken) != ConnectOutcome.AwaitingPairing)
        {
            throw new InvalidOperationException("a fresh client should wait for pairing");
        }

        while (true)
        {
            var next = await client.Events.ReadAsync(cancellationToken);
            if (next is QrCodeEvent qr)
            {
                await emulator.ScanAsync(qr.Text, phone, cancellationToken);
            }
            else if (next is ConnectedEvent)
            {
                return client;
            }
            else if (next is DisconnectedEvent disconnected)
            {
                throw new InvalidOperationException("pairing failed: " + disconnected.Reason.Kind);
            }
        }
    }

    private static async Task DrainAsync(ChannelReader<WaEvent> events, Action<WaEvent> onEvent)
    {
        await foreach (var e in events.ReadAllAsync())
        {
            onEvent(e);
        }
    }
}
