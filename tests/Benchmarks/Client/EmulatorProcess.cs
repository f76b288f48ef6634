using System.Diagnostics;
using System.Net.Http.Json;

namespace Gateway.Benchmarks.Client;

/// <summary>
/// The emulator console (Gateway.Emulator.dll beside this benchmark) as a child process, so both the .NET and
/// the Node clients talk to the same server and the benchmark process holds only client allocations.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly HttpClient admin;

    private EmulatorProcess(Process process, Uri webSocket, string root, Uri adminUrl, string? caFile)
    {
        this.process = process;
        WebSocketUrl = webSocket;
        RootPublicKeyHex = root;
        AdminUrl = adminUrl;
        CaFile = caFile;
        admin = new HttpClient { BaseAddress = new Uri(adminUrl + "/") };
    }

    public Uri WebSocketUrl { get; }

    public string RootPublicKeyHex { get; }

    public Uri AdminUrl { get; }

    private string? CaFile { get; }

    public static async Task<EmulatorProcess> StartAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.Emulator.dll"));
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the emulator");
        string? ws = null, root = null, adminUrl = null, ca = null;
        while (adminUrl is null && await process.StandardOutput.ReadLineAsync() is { } line)
        {
            var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            if (line.StartsWith("WebSocket URL", StringComparison.Ordinal)) ws = value;
            else if (line.StartsWith("Root public key", StringComparison.Ordinal)) root = value;
            else if (line.StartsWith("Test CA file", StringComparison.Ordinal)) ca = value;
            else if (line.StartsWith("Admin URL", StringComparison.Ordinal)) adminUrl = value;
        }

        if (ws is null || root is null || adminUrl is null)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("the emulator did not print its endpoints");
        }

        return new EmulatorProcess(process, new Uri(ws), root, new Uri(adminUrl), ca);
    }

    /// <summary>The emulated phone of <paramref name="phone"/> scans a QR text.</summary>
    public async Task ScanAsync(string qr, string phone, CancellationToken cancellationToken)
    {
        using var response = await admin.PostAsJsonAsync("scan", new { qr, phone }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        if (CaFile is not null && Path.GetDirectoryName(CaFile) is { } directory && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true); // a killed emulator cannot remove its CA directory
        }
    }
}
