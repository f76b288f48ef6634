using System.Diagnostics;
using System.Net.Http.Json;
using Gateway.Emulator.Admin;
using Gateway.Emulator.Pairing;
using Gateway.Emulator.Tests;

namespace Gateway.Benchmarks.Emulator;

/// <summary>
/// Capacity of the emulator: N devices logged in at once, measured in a separate emulator process so the
/// clients' memory is not counted. `dotnet run -c Release --project tests/Benchmarks -- emulator-connections 2000`.
/// </summary>
internal static class EmulatorFigures
{
    public static async Task ConnectionsAsync(int count)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.Emulator.dll"));
        using var emulator = Process.Start(start) ?? throw new InvalidOperationException("cannot start the emulator");
        string? caFile = null;
        try
        {
            string? ws = null, root = null, admin = null;

            while (admin is null && await emulator.StandardOutput.ReadLineAsync() is { } line)
            {
                var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                if (line.StartsWith("WebSocket URL", StringComparison.Ordinal)) ws = value;
                else if (line.StartsWith("Root public key", StringComparison.Ordinal)) root = value;
                else if (line.StartsWith("Admin URL", StringComparison.Ordinal)) admin = value;
                else if (line.StartsWith("Test CA file", StringComparison.Ordinal)) caFile = value;
            }

            using var http = new HttpClient { BaseAddress = new Uri(admin + "/") };
            async Task<PairedDevice> Scan(string qr, string phone)
            {
                var response = await http.PostAsJsonAsync("scan", new { qr, phone });
                response.EnsureSuccessStatusCode();
                return (await response.Content.ReadFromJsonAsync<PairedDevice>())!;
            }

            var companions = new TestCompanion[count];
            var devices = new PairedDevice[count];
            var pairing = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                companions[i] = new TestCompanion(new Uri(ws!), root!, Scan);
                devices[i] = await companions[i].PairAsync((15_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            pairing.Stop();
            var before = (await http.GetFromJsonAsync<EmulatorStats>("stats"))!;
            var login = Stopwatch.StartNew();
            using var gate = new SemaphoreSlim(32);
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    await companions[i].ConnectForLoginAsync(devices[i].Jid);
                    await companions[i].ReceiveAsync(n => n.Tag == "ib");
                }
                finally
                {
                    gate.Release();
                }
            }));
            login.Stop();
            var after = (await http.GetFromJsonAsync<EmulatorStats>("stats"))!;
            Console.WriteLine($"devices={count} paired in {pairing.Elapsed.TotalSeconds:F1} s ({count / pairing.Elapsed.TotalSeconds:F0}/s); " +
                $"logged in in {login.Elapsed.TotalSeconds:F1} s ({count / login.Elapsed.TotalSeconds:F0}/s, 32 at a time)");
            Console.WriteLine($"open connections={after.OpenConnections} managed/connection={(after.ManagedBytes - before.ManagedBytes) / count / 1024.0:F1} KB " +
                $"working-set/connection={(after.WorkingSetBytes - before.WorkingSetBytes) / count / 1024.0:F1} KB " +
                $"(emulator total: managed {after.ManagedBytes / 1048576.0:F0} MB, working set {after.WorkingSetBytes / 1048576.0:F0} MB)");
            foreach (var companion in companions)
            {
                await companion.DisposeAsync();
            }
        }
        finally
        {
            emulator.Kill(entireProcessTree: true);
            await emulator.WaitForExitAsync();
            if (caFile is not null && Path.GetDirectoryName(caFile) is { } directory)
            {
                Directory.Delete(directory, recursive: true); // a killed emulator cannot remove its CA directory
            }
        }
    }
}
