using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gateway.Benchmarks.Capacity;

/// <summary>
/// `dotnet run -c Release --project tests/Benchmarks -- load N [options]`: the emulator and the gateway as separate
/// processes, N tenants linked through the REST API (QR -> emulator admin scan), then resident memory per idle
/// session, sends through the REST API (two tenants, then all tenants in pairs) with webhook deliveries counted by a
/// local receiver, the webhook drain rate of a backlog, and a cold restart. Every loop is bounded.
/// </summary>
internal sealed class CapacityRun
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(120);
    private readonly CapacityOptions options;
    private readonly string apiKey = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
    private readonly string webhookSecret = "bench-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private long sequence;

    private CapacityRun(CapacityOptions options) => this.options = options;

    public static async Task RunAsync(CapacityOptions options)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(options.MaxMinutes));
        await new CapacityRun(options).RunAsync(stop.Token);
    }

    private static string Tenant(int i) => "t" + i.ToString("D5", CultureInfo.InvariantCulture);

    private static string Phone(int i) => "1555" + i.ToString("D7", CultureInfo.InvariantCulture);

    private static void Report(string line) => Console.WriteLine(line);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var n = options.Sessions;
        Report($"load N={n} cores={Environment.ProcessorCount} loadavg={File.ReadAllText("/proc/loadavg").Trim()}");
        await using var emulator = await EmulatorProcess.StartAsync(cancellationToken);
        await using var receiver = await WebhookReceiver.StartAsync(webhookSecret, cancellationToken);
        var folder = Directory.CreateTempSubdirectory("gateway-capacity-");
        try
        {
            var environment = new Dictionary<string, string>(emulator.GatewayEnvironment, StringComparer.Ordinal)
            {
                ["GATEWAY_API_KEY"] = apiKey,
                ["GATEWAY_SESSIONS_DIR"] = Path.Combine(folder.FullName, "sessions"),
                ["GATEWAY_LOGS_DIR"] = Path.Combine(folder.FullName, "logs"),
                ["GATEWAY_WEBHOOK_URL"] = receiver.Url.ToString(),
                ["GATEWAY_WEBHOOK_SECRET"] = webhookSecret,
                ["GATEWAY_RATE_LIMIT_PER_MINUTE"] = "100000000",
                ["Gateway__Sessions__SendInterval"] = "00:00:00",
            };
            foreach (var (key, value) in options.ExtraEnvironment)
            {
                environment[key] = value;
            }

            var port = GatewayProcess.FreePort();
            var gateway = await GatewayProcess.StartAsync(environment, port, cancellationToken);
            try
            {
                using var api = Api(gateway.BaseUrl);
                using var admin = new HttpClient { BaseAddress = new Uri(emulator.AdminUrl.TrimEnd('/') + "/") };
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
                var empty = gateway.ResidentBytes();
                Report($"gateway with no session: VmRSS={Mb(empty)} MB");

                var linking = Stopwatch.StartNew();
                await ParallelAsync(n, options.LinkParallel, i => LinkAsync(api, admin, i, cancellationToken), cancellationToken);
                linking.Stop();
                Report($"linked {n} sessions in {linking.Elapsed.TotalSeconds:F1} s ({n / linking.Elapsed.TotalSeconds:F0}/s, {options.LinkParallel} at a time); VmRSS={Mb(gateway.ResidentBytes())} MB");

                await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds), cancellationToken);
                var idle = gateway.ResidentBytes();
                Report($"idle after {options.IdleSeconds} s: VmRSS={Mb(idle)} MB, per session {idle / (double)n / 1048576:F3} MB (whole process / N), " +
                    $"{(idle - empty) / (double)n / 1048576:F3} MB above the empty gateway; emulator VmRSS={Mb(GatewayProcess.ReadResident(emulator.ProcessId))} MB");

                if (options.InspectSeconds > 0)
                {
                    Report($"gateway pid {gateway.ProcessId}: waiting {options.InspectSeconds} s for inspection (dotnet-counters, dotnet-gcdump)");
                    await Task.Delay(TimeSpan.FromSeconds(options.InspectSeconds), cancellationToken);
                }

                if (options.Messages > 0 && n >= 2)
                {
                    (string, int)[] pids = [("gateway", gateway.ProcessId), ("emulator", emulator.ProcessId), ("driver", Environment.ProcessId)];
                    await SendPhaseAsync(api, receiver, pids, "two tenants, 1 in flight", 2, 1, Math.Min(options.Messages, 1000), cancellationToken);
                    await SendPhaseAsync(api, receiver, pids, "two tenants, 20 in flight", 2, 20, Math.Min(options.Messages, 4000), cancellationToken);
                    var rate = await SendPhaseAsync(api, receiver, pids, $"{n} tenants in pairs, {options.InFlight} in flight", n - n % 2, options.InFlight, options.Messages, cancellationToken);
                    await DrainPhaseAsync(api, receiver, n - n % 2, options.InFlight, DrainBacklog(options.Messages, rate), cancellationToken);
                    Report($"after sends: VmRSS={Mb(gateway.ResidentBytes())} MB; bad signatures={receiver.BadSignatures}");
                }

                if (options.Restart)
                {
                    await gateway.KillAsync();
                    await gateway.DisposeAsync();
                    var restart = Stopwatch.StartNew();
                    gateway = await GatewayProcess.StartAsync(environment, port, cancellationToken);
                    var healthy = restart.Elapsed;
                    using var api2 = Api(gateway.BaseUrl);
                    var connected = await WaitAllConnectedAsync(api2, n, cancellationToken);
                    restart.Stop();
                    Report($"cold restart: {connected}/{n} connected {restart.Elapsed.TotalSeconds:F1} s after the new process started " +
                        $"(/health answered at {healthy.TotalSeconds:F1} s); VmRSS={Mb(gateway.ResidentBytes())} MB");
                }
            }
            finally
            {
                await gateway.DisposeAsync();
            }
        }
        finally
        {
            if (options.KeepFolder)
            {
                Report($"kept the sessions and logs in {folder.FullName}");
            }
            else
            {
                folder.Delete(recursive: true);
            }
        }
    }

    private HttpClient Api(Uri baseUrl)
    {
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = baseUrl, Timeout = StepTimeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

    private static async Task ParallelAsync(int count, int parallel, Func<int, Task> body, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
            async (i, _) => await body(i));

    private static async Task LinkAsync(HttpClient api, HttpClient admin, int i, CancellationToken cancellationToken)
    {
        var tenant = Tenant(i);
        using (var started = await api.PostAsync($"api/v1/sessions/{tenant}/start", null, cancellationToken))
        {
            started.EnsureSuccessStatusCode();
        }

        var qr = await api.GetFromJsonAsync<JsonElement>($"api/v1/sessions/{tenant}/qr?format=json", cancellationToken);
        using (var scanned = await admin.PostAsJsonAsync("scan", new { qr = qr.GetProperty("qr").GetString(), phone = Phone(i) }, cancellationToken))
        {
            scanned.EnsureSuccessStatusCode();
        }

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StepTimeout)
        {
            var status = await api.GetFromJsonAsync<JsonElement>($"api/v1/sessions/{tenant}/status", cancellationToken);
            if (status.GetProperty("status").GetString() == "connected")
            {
                return;
            }

            await Task.Delay(20, cancellationToken);
        }

        throw new TimeoutException($"{tenant} not connected after the scan");
    }

    private static async Task<int> WaitAllConnectedAsync(HttpClient api, int n, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var connected = 0;
        while (deadline.Elapsed < StepTimeout)
        {
            var all = await api.GetFromJsonAsync<JsonElement>("api/v1/sessions", cancellationToken);
            connected = all.EnumerateArray().Count(s => s.GetProperty("status").GetString() == "connected");
            if (connected >= n)
            {
                break;
            }

            await Task.Delay(50, cancellationToken);
        }

        return connected;
    }

    /// <summary>Sends <paramref name="messages"/> texts from tenant 2k to tenant 2k+1 (k over the pairs) with a bounded number in flight.</summary>
    private async Task<(TimeSpan Sending, Latencies RestLatency)> SendAsync(HttpClient api, int tenants, int inFlight, int messages, CancellationToken cancellationToken)
    {
        var rest = new Latencies();
        var pairs = tenants / 2;
        var clock = Stopwatch.StartNew();
        await ParallelAsync(messages, inFlight, async i =>
        {
            var pair = i % pairs;
            var id = Interlocked.Increment(ref sequence).ToString(CultureInfo.InvariantCulture);
            var began = Stopwatch.GetTimestamp();
            var body = new { to = "+" + Phone(2 * pair + 1), type = "text", message = $"bench|{id}|{began.ToString(CultureInfo.InvariantCulture)}" };
            using var response = await api.PostAsJsonAsync($"api/v1/messages/{Tenant(2 * pair)}/send", body, cancellationToken);
            rest.Add(Stopwatch.GetElapsedTime(began));
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"send {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }, cancellationToken);
        return (clock.Elapsed, rest);
    }

    /// <summary>
    /// The drain's backlog: what the tenants send in about 5 s at the rate just measured (at most 8,000). The held
    /// receiver keeps each tenant's first delivery waiting for the whole sending time, and a wait past the gateway's
    /// 10 s attempt timeout would turn into a failed attempt and its retry, not a drain.
    /// </summary>
    private static int DrainBacklog(int messages, double rate) => Math.Max(500, Math.Min(Math.Min(messages, 8000), (int)(rate * 5)));

    /// <summary>Runs one send phase and reports it; returns its messages per second through the REST API.</summary>
    private async Task<double> SendPhaseAsync(HttpClient api, WebhookReceiver receiver, (string, int)[] pids, string label, int tenants, int inFlight, int messages, CancellationToken cancellationToken)
    {
        await SendAsync(api, tenants, inFlight, Math.Max(50, messages / 10), cancellationToken); // warm-up
        await WaitQuietAsync(receiver, cancellationToken);
        receiver.Reset();
        var counters = await GatewayCounters.ReadAsync(api, cancellationToken);
        var cpu = ProcessCpu.Start(pids);
        var clock = Stopwatch.StartNew();
        var (sending, rest) = await SendAsync(api, tenants, inFlight, messages, cancellationToken);
        var arrived = await WaitForMessagesAsync(receiver, messages, cancellationToken);
        var endToEnd = clock.Elapsed;
        await WaitQuietAsync(receiver, cancellationToken);
        var cpuUsed = cpu.Report(messages); // up to quiet: the trailing acks and receipts are part of a message's cost
        var work = (await GatewayCounters.ReadAsync(api, cancellationToken)).Since(counters, messages);
        var deliveries = receiver.Deliveries;
        Report($"{label}: {messages} sends in {sending.TotalSeconds:F2} s = {messages / sending.TotalSeconds:F0} msg/s through the REST API, " +
            $"REST {rest}; {arrived} inbound webhooks by {endToEnd.TotalSeconds:F2} s = {arrived / endToEnd.TotalSeconds:F0} msg/s end to end, " +
            $"send-to-webhook {receiver.MessageLatency}; webhook deliveries {deliveries} ({string.Join(", ", receiver.ByEvent.Select(e => $"{e.Key} {e.Value}"))}); " +
            $"CPU {cpuUsed}; {work}");
        return messages / sending.TotalSeconds;
    }

    /// <summary>Holds the receiver while messages pile up in the outboxes, then measures how fast the backlog drains.</summary>
    private async Task DrainPhaseAsync(HttpClient api, WebhookReceiver receiver, int tenants, int inFlight, int backlog, CancellationToken cancellationToken)
    {
        await WaitQuietAsync(receiver, cancellationToken);
        receiver.Reset();
        receiver.Hold();
        var (sending, _) = await SendAsync(api, tenants, inFlight, backlog, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // let the last acks and receipts reach the outboxes
        var before = receiver.Deliveries;
        var clock = Stopwatch.StartNew();
        receiver.Release();
        await WaitForMessagesAsync(receiver, backlog, cancellationToken);
        var drained = clock.Elapsed;
        var count = receiver.Deliveries - before;
        await WaitQuietAsync(receiver, cancellationToken);
        Report($"webhook backlog: {backlog} messages sent in {sending.TotalSeconds:F1} s with the receiver holding; after release " +
            $"{count} signed deliveries in {drained.TotalSeconds:F2} s = {count / drained.TotalSeconds:F0}/s across {tenants} tenants " +
            $"(all {backlog} messages arrived); total {receiver.Deliveries} ({string.Join(", ", receiver.ByEvent.Select(e => $"{e.Key} {e.Value}"))})");
    }

    private static async Task<int> WaitForMessagesAsync(WebhookReceiver receiver, int expected, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (receiver.Messages < expected && deadline.Elapsed < StepTimeout)
        {
            await Task.Delay(2, cancellationToken);
        }

        return receiver.Messages;
    }

    /// <summary>Waits until no delivery arrived for half a second (acks and receipts trail the messages).</summary>
    private static async Task WaitQuietAsync(WebhookReceiver receiver, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var last = -1;
        while (receiver.Deliveries != last && deadline.Elapsed < StepTimeout)
        {
            last = receiver.Deliveries;
            await Task.Delay(500, cancellationToken);
        }
    }
}

/// <summary>Arguments of the load mode.</summary>
internal sealed record CapacityOptions(int Sessions)
{
    public int LinkParallel { get; init; } = 16;

    // Idle means idle as the daemon sees it: stores close their engine after 30 s unused and the freed memory goes
    // back to the system at the next 30 s trim check, so 75 s covers both with its default settings.
    public int IdleSeconds { get; init; } = 75;

    public int Messages { get; init; } = 10_000;

    public int InFlight { get; init; } = 64;

    public bool Restart { get; init; } = true;

    public int MaxMinutes { get; init; } = 20;

    public int InspectSeconds { get; init; }

    public bool KeepFolder { get; init; }

    public Dictionary<string, string> ExtraEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary>An extra variable for the gateway process, KEY=VALUE (e.g. DOTNET_gcServer=0).</summary>
    private CapacityOptions WithEnvironment(string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        ExtraEnvironment[assignment[..equals]] = assignment[(equals + 1)..];
        return this;
    }

    public static CapacityOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CapacityOptions(int.Parse(args[0], CultureInfo.InvariantCulture));
        for (var i = 1; i < args.Count; i++)
        {
            int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--link-parallel" => options with { LinkParallel = Next() },
                "--idle-seconds" => options with { IdleSeconds = Next() },
                "--messages" => options with { Messages = Next() },
                "--in-flight" => options with { InFlight = Next() },
                "--no-restart" => options with { Restart = false },
                "--keep" => options with { KeepFolder = true },
                "--max-minutes" => options with { MaxMinutes = Next() },
                "--inspect-seconds" => options with { InspectSeconds = Next() },
                "--env" => options.WithEnvironment(args[++i]),
                _ => throw new ArgumentException("unknown option " + args[i]),
            };
        }

        return options;
    }
}
