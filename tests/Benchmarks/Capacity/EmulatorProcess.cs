using System.Diagnostics;

namespace Gateway.Benchmarks.Capacity;

/// <summary>The emulator as its own process (its memory and CPU are not the gateway's), with the environment it prints for a gateway.</summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private string? caFile;

    private EmulatorProcess(Process process) => this.process = process;

    public string WebSocketUrl { get; private set; } = "";

    public string RootKeyHex { get; private set; } = "";

    public string AdminUrl { get; private set; } = "";

    public string CaFile => caFile ?? "";

    /// <summary>WHATSAPP_WS_URL, WHATSAPP_ROOT_KEY, SSL_CERT_FILE, ... as printed under "Environment for a gateway".</summary>
    public Dictionary<string, string> GatewayEnvironment { get; } = new(StringComparer.Ordinal);

    public int ProcessId => process.Id;

    public static async Task<EmulatorProcess> StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.Emulator.dll"));
        var emulator = new EmulatorProcess(Process.Start(start) ?? throw new InvalidOperationException("cannot start the emulator"));
        var inEnvironment = false;
        while (await emulator.process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            if (line.StartsWith("WebSocket URL", StringComparison.Ordinal)) emulator.WebSocketUrl = value;
            else if (line.StartsWith("Root public key", StringComparison.Ordinal)) emulator.RootKeyHex = value;
            else if (line.StartsWith("Admin URL", StringComparison.Ordinal)) emulator.AdminUrl = value;
            else if (line.StartsWith("Test CA file", StringComparison.Ordinal)) emulator.caFile = value;
            else if (line.StartsWith("Environment for a gateway", StringComparison.Ordinal)) inEnvironment = true;
            else if (inEnvironment && line.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
            {
                emulator.GatewayEnvironment[line[..equals]] = line[(equals + 1)..];
            }

            if (emulator.GatewayEnvironment.ContainsKey("WHATSAPP_WS_URL") && emulator.GatewayEnvironment.ContainsKey("WHATSAPP_ROOT_KEY")
                && emulator.GatewayEnvironment.ContainsKey("SSL_CERT_FILE"))
            {
                break;
            }
        }

        _ = emulator.process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        return emulator;
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        if (caFile is not null && Path.GetDirectoryName(caFile) is { } directory && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true); // a killed emulator cannot remove its CA directory
        }
    }
}
