using System.Diagnostics;

namespace Gateway.Tests.Ops;

/// <summary>setup.sh is shellcheck-clean and the systemd unit verifies; both tools come from scripts/test-deps.sh.</summary>
public sealed class PackagingLintTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public async Task Shell_scripts_pass_shellcheck()
    {
        var (exitCode, output) = await RunAsync("shellcheck", "scripts/setup.sh", "scripts/test-deps.sh", ".ci/run");

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task The_unit_verifies_without_warnings()
    {
        var scratch = Directory.CreateTempSubdirectory("gateway-unit-").FullName;
        var executable = Path.Combine(scratch, "gateway");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "gateway"), executable);
        var unit = Path.Combine(scratch, "gateway.service");
        // The unit names its installed path; point it at a real executable so verify checks everything else.
        File.WriteAllText(unit, File.ReadAllText(Path.Combine(Root, "systemd", "gateway.service")).Replace("/opt/gateway/gateway", executable, StringComparison.Ordinal));

        var (exitCode, output) = await RunAsync("systemd-analyze", "verify", unit);

        Assert.Equal(0, exitCode);
        Assert.True(output.Trim().Length == 0, output);
    }

    [Fact]
    public async Task Verify_would_catch_an_unknown_directive()
    {
        var unit = Path.Combine(Directory.CreateTempSubdirectory("gateway-unit-").FullName, "broken.service");
        File.WriteAllText(unit, "[Service]\nExecStart=/bin/true\nRestartz=always\n");

        var (_, output) = await RunAsync("systemd-analyze", "verify", unit);

        Assert.Contains("Restartz", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"{tool} is not installed: run scripts/test-deps.sh");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
    }

    private static string FindRoot()
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
