using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Hosting;

public sealed class GatewayLoggingTests
{
    [Fact]
    public async Task Two_gateways_in_one_process_write_to_their_own_log_folders()
    {
        // The first host's lines once went through the process-wide Serilog logger, which the second host had replaced:
        // they landed in the other folder. Tests run many hosts side by side, so that lost lines at random.
        await using var first = new GatewayFactory();
        await using var second = new GatewayFactory();
        _ = first.Services;
        _ = second.Services;

        first.Services.GetRequiredService<ILogger<GatewayLoggingTests>>().LogInformation("marker {Name}", "first-host");
        second.Services.GetRequiredService<ILogger<GatewayLoggingTests>>().LogInformation("marker {Name}", "second-host");

        var firstLogs = ReadLogs(first.SessionsDir);
        var secondLogs = ReadLogs(second.SessionsDir);
        Assert.Contains("first-host", firstLogs, StringComparison.Ordinal);
        Assert.DoesNotContain("second-host", firstLogs, StringComparison.Ordinal);
        Assert.Contains("second-host", secondLogs, StringComparison.Ordinal);
        Assert.DoesNotContain("first-host", secondLogs, StringComparison.Ordinal);
    }

    private static string ReadLogs(string sessionsDir) =>
        string.Concat(Directory.GetFiles(Path.Combine(sessionsDir, "logs")).Select(path =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }));
}
