using System.Globalization;

namespace Gateway.Emulator;

/// <summary>`dotnet run --project tests/Emulator [-- --port N --media-port M]`: runs until Ctrl+C or SIGTERM.</summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        var options = new EmulatorOptions { Port = ArgumentValue(args, "--port"), MediaPort = ArgumentValue(args, "--media-port") };
        await using var server = await EmulatorServer.StartAsync(options);
        Console.WriteLine($"WebSocket URL:   {server.WebSocketUrl}");
        Console.WriteLine($"Root public key: {server.RootPublicKeyHex}");
        Console.WriteLine($"Test CA file:    {server.CaCertificatePath}");
        Console.WriteLine($"Admin URL:       {server.AdminUrl}");
        Console.WriteLine($"Media host:      https://{server.MediaHost}");
        Console.WriteLine();
        Console.WriteLine("Environment for a gateway:");
        foreach (var (key, value) in server.Environment)
        {
            Console.WriteLine($"{key}={value}");
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        // SIGTERM too, so the temporary CA directory is removed when a harness stops the process.
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: dispose the server and exit.
        }
    }

    private static int ArgumentValue(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : 0;
    }
}
