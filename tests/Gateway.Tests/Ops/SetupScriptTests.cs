using System.Diagnostics;

namespace Gateway.Tests.Ops;

/// <summary>scripts/setup.sh in --root mode: the same steps into a scratch tree, without systemctl or a user.</summary>
public sealed class SetupScriptTests
{
    private static readonly string Script = Path.Combine(RepositoryRoot(), "scripts", "setup.sh");

    [Fact]
    public async Task Install_is_idempotent_keeps_generated_secrets_and_uninstall_keeps_data_unless_purged()
    {
        var root = Directory.CreateTempSubdirectory("gateway-setup-").FullName;
        var build = AppContext.BaseDirectory;

        var first = await RunAsync("--root", root, "--from", build, "--port", "3123");
        Assert.True(first.ExitCode == 0, first.Output);
        var envFile = Path.Combine(root, "etc/gateway/gateway.env");
        var settings = File.ReadAllText(envFile);
        Assert.Contains("GATEWAY_URLS=http://127.0.0.1:3123\n", settings, StringComparison.Ordinal);
        Assert.Matches("GATEWAY_API_KEY=gwa_[A-Za-z0-9_-]{40,}\n", settings);
        Assert.Matches("GATEWAY_WEBHOOK_SECRET=whsec_[A-Za-z0-9+/=]{40,}\n", settings);
        Assert.True(File.Exists(Path.Combine(root, "opt/gateway/gateway.dll")));
        Assert.True(File.Exists(Path.Combine(root, "etc/systemd/system/gateway.service")));
        Assert.True(Directory.Exists(Path.Combine(root, "var/lib/gateway/sessions")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(envFile));

        File.WriteAllText(Path.Combine(root, "var/lib/gateway/sessions/keep.me"), "tenant data");
        var second = await RunAsync("--root", root, "--from", build, "--port", "4000");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(settings, File.ReadAllText(envFile));

        Assert.Equal(0, (await RunAsync("--root", root, "--uninstall")).ExitCode);
        Assert.False(Directory.Exists(Path.Combine(root, "opt/gateway")));
        Assert.False(File.Exists(Path.Combine(root, "etc/systemd/system/gateway.service")));
        Assert.True(File.Exists(Path.Combine(root, "var/lib/gateway/sessions/keep.me")));
        Assert.Equal(settings, File.ReadAllText(envFile));

        Assert.Equal(0, (await RunAsync("--root", root, "--uninstall", "--purge")).ExitCode);
        Assert.False(Directory.Exists(Path.Combine(root, "var/lib/gateway")));
        Assert.False(Directory.Exists(Path.Combine(root, "etc/gateway")));
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--port", "80a")]
    public async Task Bad_options_are_usage_errors(params string[] args)
    {
        var result = await RunAsync(["--root", Directory.CreateTempSubdirectory("gateway-setup-").FullName, .. args]);

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task A_folder_without_a_published_gateway_is_refused()
    {
        var result = await RunAsync("--root", Directory.CreateTempSubdirectory("gateway-setup-").FullName, "--from", Directory.CreateTempSubdirectory("empty-").FullName);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not hold a published gateway", result.Output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
