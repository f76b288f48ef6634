using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Interop;

namespace Gateway.Emulator.Tests;

/// <summary>
/// Drives tests/Interop/emulator/driver.mjs: a Node process running stock Baileys sockets against an
/// emulator, spoken to in line-delimited JSON. Every event is kept so a test can wait for any of them.
/// </summary>
public sealed class BaileysDriver : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    private readonly Process process;
    private readonly EmulatorServer emulator;
    private readonly List<JsonElement> events = [];
    private readonly StringBuilder stderr = new();
    private readonly Task reader;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int nextRef;

    private BaileysDriver(Process process, EmulatorServer emulator)
    {
        this.process = process;
        this.emulator = emulator;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        reader = Task.Run(ReadEventsAsync);
    }

    public static async Task<BaileysDriver> StartAsync(EmulatorServer emulator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        await NodeHarness.EnsureInstalledAsync(cancellationToken);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = NodeHarness.InteropDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("emulator/driver.mjs");
        start.Environment["NODE_EXTRA_CA_CERTS"] = emulator.CaCertificatePath;
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        var driver = new BaileysDriver(process, emulator);
        await driver.WaitForAsync(e => Is(e, "ready"), cancellationToken: cancellationToken);
        return driver;
    }

    public static bool Is(JsonElement e, string eventName, string? name = null) =>
        e.GetProperty("event").GetString() == eventName
        && (name is null || (e.TryGetProperty("name", out var n) && n.GetString() == name));

    public async Task SendAsync(JsonObject command)
    {
        ArgumentNullException.ThrowIfNull(command);
        await process.StandardInput.WriteLineAsync(command.ToJsonString());
        await process.StandardInput.FlushAsync();
    }

    /// <summary>The first event (from the start of the run) that matches.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? DefaultTimeout);
        while (true)
        {
            Task wake;
            lock (events)
            {
                foreach (var e in events)
                {
                    if (match(e))
                    {
                        return e;
                    }
                }

                wake = changed.Task;
            }

            try
            {
                await wake.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no matching driver event; events: {Describe()}; stderr: {Stderr()}");
            }
        }
    }

    public IReadOnlyList<JsonElement> Events(Func<JsonElement, bool> match)
    {
        lock (events)
        {
            return events.Where(match).ToArray();
        }
    }

    /// <summary>Starts a client with a fresh account and returns its QR text.</summary>
    /// <param name="name">The client's name in driver commands and events.</param>
    /// <param name="pairingPhone">When set, the client asks for a pairing code for this phone instead of showing QRs.</param>
    /// <param name="keepAliveMs">Baileys' keepAliveIntervalMs (it gives up after this plus 5 s of silence).</param>
    public async Task<string> StartClientAsync(string name, string? pairingPhone = null, int? keepAliveMs = null)
    {
        var command = new JsonObject
        {
            ["cmd"] = "start",
            ["name"] = name,
            ["url"] = emulator.WebSocketUrl.ToString(),
            ["root"] = emulator.RootPublicKeyHex,
        };
        if (keepAliveMs is { } keepAlive)
        {
            command["keepAliveMs"] = keepAlive;
        }

        if (pairingPhone is not null)
        {
            command["pairingPhone"] = pairingPhone;
            await SendAsync(command);
            return (await WaitForAsync(e => Is(e, "pairingCode", name))).GetProperty("code").GetString()!;
        }

        await SendAsync(command);
        return (await WaitForAsync(e => Is(e, "qr", name))).GetProperty("qr").GetString()!;
    }

    /// <summary>Start, scan the QR as <paramref name="phone"/>, let the client restart after 515, wait for open.</summary>
    public async Task<JsonElement> PairAsync(string name, string phone, int? keepAliveMs = null)
    {
        var qr = await StartClientAsync(name, keepAliveMs: keepAliveMs);
        await emulator.Admin.ScanQrAsync(qr, phone, CancellationToken.None);
        return await WaitForAsync(e => Is(e, "open", name));
    }

    public async Task<string> SendTextAsync(string name, string to, string text)
    {
        var reference = Interlocked.Increment(ref nextRef).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(new JsonObject { ["cmd"] = "sendText", ["name"] = name, ["to"] = to, ["text"] = text, ["ref"] = reference });
        return await SentIdAsync(reference);
    }

    public async Task<string> SendImageAsync(string name, string to, byte[] image, string caption)
    {
        var reference = Interlocked.Increment(ref nextRef).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(new JsonObject
        {
            ["cmd"] = "sendImage", ["name"] = name, ["to"] = to, ["data"] = Convert.ToBase64String(image),
            ["mimetype"] = "image/png", ["caption"] = caption, ["ref"] = reference,
        });
        return await SentIdAsync(reference);
    }

    /// <summary>The message <paramref name="name"/> received (not its own echo) with that id.</summary>
    public Task<JsonElement> ReceivedAsync(string name, string id) =>
        WaitForAsync(e => Is(e, "message", name) && e.GetProperty("id").GetString() == id && !e.GetProperty("fromMe").GetBoolean());

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync(new JsonObject { ["cmd"] = "exit" });
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await process.WaitForExitAsync(grace.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            process.Kill(entireProcessTree: true);
        }

        await reader.ConfigureAwait(false);
        process.Dispose();
    }

    private async Task<string> SentIdAsync(string reference)
    {
        var sent = await WaitForAsync(e =>
            (Is(e, "sent") || Is(e, "error")) && e.TryGetProperty("ref", out var r) && r.GetString() == reference);
        if (Is(sent, "error"))
        {
            throw new InvalidOperationException("send failed: " + sent.GetProperty("message").GetString());
        }

        return sent.GetProperty("id").GetString()!;
    }

    private async Task ReadEventsAsync()
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            JsonElement element;
            try
            {
                element = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException)
            {
                continue; // a stray non-JSON line from a library
            }

            lock (events)
            {
                events.Add(element);
                changed.TrySetResult();
                changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private string Describe()
    {
        lock (events)
        {
            return string.Join(" | ", events.Select(e => Truncate(e.GetRawText(), 200)));
        }
    }

    private string Stderr()
    {
        lock (stderr)
        {
            return Truncate(stderr.ToString(), 2000);
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "...";
}
