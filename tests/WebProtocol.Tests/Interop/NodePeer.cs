using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Interop;

namespace Gateway.WebProtocol.Tests.Interop;

/// <summary>
/// A long-lived Node process from tests/Interop speaking line-delimited JSON: one command per line, one
/// answer per line. Lets a test drive a stock reference implementation step by step.
/// </summary>
internal sealed class NodePeer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder stderr = new();

    private NodePeer(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
    }

    public static async Task<NodePeer> StartAsync(string script, CancellationToken cancellationToken = default)
    {
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
        start.ArgumentList.Add(script);
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        return new NodePeer(process);
    }

    /// <summary>Sends a command; returns the answer, or throws when the peer reports a failure.</summary>
    public async Task<JsonObject> CallAsync(JsonObject command, CancellationToken cancellationToken = default)
    {
        var answer = await TryCallAsync(command, cancellationToken);
        if (answer["ok"]!.GetValue<bool>())
        {
            return answer;
        }

        throw new InvalidOperationException($"peer failed {command["cmd"]}: {answer["error"]}");
    }

    /// <summary>Sends a command and returns the answer whether it succeeded or not (field "ok").</summary>
    public async Task<JsonObject> TryCallAsync(JsonObject command, CancellationToken cancellationToken = default)
    {
        await process.StandardInput.WriteLineAsync(command.ToJsonString().AsMemory(), cancellationToken);
        await process.StandardInput.FlushAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null)
        {
            string errors;
            lock (stderr)
            {
                errors = stderr.ToString();
            }

            throw new InvalidOperationException($"peer exited: {errors}");
        }

        return JsonNode.Parse(line)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        process.StandardInput.Close();
        if (!process.WaitForExit(5000))
        {
            process.Kill();
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    public static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);

    public static byte[] Bytes(JsonNode? node) => Convert.FromBase64String(node!.GetValue<string>());

    public static JsonObject Address(string name, uint device) => new() { ["name"] = name, ["device"] = device };

    public static JsonSerializerOptions Json { get; } = new();
}
