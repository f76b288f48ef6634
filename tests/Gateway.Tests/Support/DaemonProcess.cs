using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Tests.Support;

/// <summary>The gateway as its own process (`dotnet gateway.dll serve`), stopped with SIGTERM or killed with SIGKILL.</summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process process;

    private DaemonProcess(Process process, Uri url, IReadOnlyDictionary<string, string> environment)
    {
        this.process = process;
        Url = url;
        Environment = environment;
    }

    public Uri Url { get; }

    /// <summary>The environment it runs with, to hand to CLI invocations.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public static async Task<DaemonProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var full = new Dictionary<string, string>(environment) { ["GATEWAY_URLS"] = url.ToString().TrimEnd('/') };
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gateway.dll"));
        start.ArgumentList.Add("serve");
        foreach (var (key, value) in full)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var daemon = new DaemonProcess(process, url, full);
        using var http = new HttpClient { BaseAddress = url };
        await Eventually.HoldsAsync(async () =>
        {
            Assert.False(process.HasExited, "the daemon exited during start");
            try
            {
                return (await http.GetAsync(new Uri("health/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        });
        return daemon;
    }

    /// <summary>SIGTERM, as systemd stops it; waits for a clean exit.</summary>
    public async Task<int> StopAsync()
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
        }

        return process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
