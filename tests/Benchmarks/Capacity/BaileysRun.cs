using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gateway.Interop;

namespace Gateway.Benchmarks.Capacity;

/// <summary>
/// `dotnet run -c Release --project tests/Benchmarks -- baileys-load N [--messages M --link-parallel L --idle-seconds S]`:
/// the same emulator process, with N stock Baileys sessions in one Node process (tests/Interop/bench/capacity.mjs).
/// </summary>
internal static class BaileysRun
{
    public static async Task RunAsync(CapacityOptions options)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(options.MaxMinutes));
        Console.WriteLine($"baileys-load N={options.Sessions} cores={Environment.ProcessorCount} loadavg={File.ReadAllText("/proc/loadavg").Trim()}");
        await NodeHarness.EnsureInstalledAsync(stop.Token); // npm ci of the pinned packages if they are missing
        await using var emulator = await EmulatorProcess.StartAsync(stop.Token);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = NodeHarness.InteropDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--expose-gc");
        start.ArgumentList.Add("bench/capacity.mjs");
        start.Environment["NODE_EXTRA_CA_CERTS"] = emulator.CaFile;
        using var node = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        try
        {
            await node.StandardInput.WriteAsync(JsonSerializer.Serialize(new
            {
                url = emulator.WebSocketUrl,
                root = emulator.RootKeyHex,
                admin = emulator.AdminUrl.TrimEnd('/'),
                sessions = options.Sessions,
                linkParallel = options.LinkParallel,
                idleSeconds = options.IdleSeconds,
                messages = options.Messages,
            }));
            node.StandardInput.Close();
            while (await node.StandardOutput.ReadLineAsync(stop.Token) is { } line)
            {
                Console.WriteLine(line);
            }

            await node.WaitForExitAsync(stop.Token);
            Console.WriteLine($"node exit code {node.ExitCode.ToString(CultureInfo.InvariantCulture)}");
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }
    }
}
