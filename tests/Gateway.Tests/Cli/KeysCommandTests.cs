using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Cli;

public sealed class KeysCommandTests
{
    [Fact]
    public async Task Without_a_daemon_keys_are_created_listed_and_revoked_on_the_files()
    {
        var sessions = Directory.CreateTempSubdirectory("gateway-cli-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["GATEWAY_SESSIONS_DIR"] = sessions,
            ["GATEWAY_URLS"] = "http://127.0.0.1:1",
        };

        var created = await GatewayProcess.RunAsync(environment, "keys", "create", "shop-1", "--json", "--env-file", "/nonexistent");
        Assert.Equal(0, created.ExitCode);
        using var key = JsonDocument.Parse(created.Stdout);
        var id = key.RootElement.GetProperty("id").GetString()!;
        Assert.StartsWith("gwt_", key.RootElement.GetProperty("key").GetString(), StringComparison.Ordinal);

        var listed = await GatewayProcess.RunAsync(environment, "keys", "list", "--env-file", "/nonexistent");
        Assert.Contains(id, listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("shop-1", listed.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, (await GatewayProcess.RunAsync(environment, "keys", "revoke", id, "--env-file", "/nonexistent")).ExitCode);
        Assert.Equal(1, (await GatewayProcess.RunAsync(environment, "keys", "revoke", id, "--env-file", "/nonexistent")).ExitCode);
    }

    [Fact]
    public async Task A_bad_tenant_id_is_a_usage_error()
    {
        var result = await GatewayProcess.RunAsync(new Dictionary<string, string> { ["GATEWAY_URLS"] = "http://127.0.0.1:1" }, "keys", "create", "../etc");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("invalid tenant id", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_reports_an_unreachable_daemon_with_its_exit_code()
    {
        var result = await GatewayProcess.RunAsync(new Dictionary<string, string>(), "health", "--url", "http://127.0.0.1:1/");

        Assert.Equal(3, result.ExitCode);
    }
}
