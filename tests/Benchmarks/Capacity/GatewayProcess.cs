using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Benchmarks.Capacity;

/// <summary>
/// The gateway daemon as a separate process (`dotnet gateway.dll serve`, the Release build of src/Gateway), so
/// its resident memory can be read from /proc and it can be killed like a crashed server.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process process;

    private GatewayProcess(Process process, Uri baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int ProcessId => process.Id;

    /// <summary>The Release build of the daemon, found from the repository root above this program.</summary>
    public static string DaemonPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                var dll = Path.Combine(directory.FullName, "src", "Gateway", "bin", "Release", "net10.0", "gateway.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the daemon first: dotnet build -c Release src/Gateway", dll);
            }
        }

        throw new DirectoryNotFoundException("Gateway.sln not found above " + AppContext.BaseDirectory);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string> environment, int port, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DaemonPath());
        start.ArgumentList.Add("serve");
        start.Environment["MALLOC_ARENA_MAX"] = "2"; // as systemd/gateway.service and the image run it; --env overrides
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var baseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        start.Environment["GATEWAY_URLS"] = baseUrl.ToString().TrimEnd('/');
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the gateway");
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        var gateway = new GatewayProcess(process, baseUrl);
        using var http = new HttpClient { BaseAddress = baseUrl };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the gateway exited with {process.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync("health", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(50, cancellationToken);
        }

        await gateway.DisposeAsync();
        throw new TimeoutException("the gateway did not answer /health within 30 s");
    }

    /// <summary>VmRSS of the daemon in bytes (resident memory as the kernel counts it).</summary>
    public long ResidentBytes() => ReadResident(process.Id);

    public static long ReadResident(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("no VmRSS line");
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crashed or OOM-killed server.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await KillAsync();
        }

        process.Dispose();
    }
}
