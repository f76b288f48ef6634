using Gateway.Tests.Support;

namespace Gateway.Tests.Cli;

/// <summary>Commands that need a live daemon say so with exit code 3; file commands work without one.</summary>
public sealed class OfflineCommandsTests
{
    private static readonly Dictionary<string, string> Offline = new()
    {
        ["GATEWAY_URLS"] = "http://127.0.0.1:1",
        ["GATEWAY_SESSIONS_DIR"] = Directory.CreateTempSubdirectory("gateway-offline-").FullName,
    };

    [Theory]
    [InlineData("qr", "shop-1")]
    [InlineData("webhook", "test", "shop-1")]
    public async Task Live_only_commands_report_an_unreachable_daemon(params string[] args)
    {
        var result = await GatewayProcess.RunAsync(Offline, [.. args, "--env-file", "/nonexistent"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("not running", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_all_removes_every_tenant_folder_and_list_is_then_empty()
    {
        var sessions = Directory.CreateTempSubdirectory("gateway-offline-").FullName;
        var environment = new Dictionary<string, string>(Offline) { ["GATEWAY_SESSIONS_DIR"] = sessions };
        foreach (var tenant in new[] { "a1", "b2" })
        {
            Directory.CreateDirectory(Path.Combine(sessions, tenant));
            File.WriteAllText(Path.Combine(sessions, tenant, "settings.json"), "{\"provider\":\"web\"}");
        }

        Assert.Contains("a1", (await GatewayProcess.RunAsync(environment, "sessions", "list", "--env-file", "/nonexistent")).Stdout, StringComparison.Ordinal);
        var cleared = await GatewayProcess.RunAsync(environment, "sessions", "clear", "--all", "--yes", "--env-file", "/nonexistent");

        Assert.True(cleared.ExitCode == 0, cleared.Stderr);
        Assert.Empty(Directory.GetDirectories(sessions));
        Assert.Contains("no sessions", (await GatewayProcess.RunAsync(environment, "sessions", "list", "--env-file", "/nonexistent")).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sessions", "clear")]
    [InlineData("sessions", "clear", "../etc", "--yes")]
    [InlineData("sessions", "logout", "a/b")]
    public async Task Missing_or_bad_tenant_ids_are_usage_errors(params string[] args)
    {
        var result = await GatewayProcess.RunAsync(Offline, [.. args, "--env-file", "/nonexistent"]);

        Assert.Equal(2, result.ExitCode);
    }
}
