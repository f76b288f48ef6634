using System.Diagnostics;
using System.Text;

namespace Gateway.Interop;

/// <summary>
/// Runs the Node scripts of tests/Interop against the pinned reference packages. Installs them with
/// <c>npm ci</c> on first use, once per machine even when several test processes start together.
/// </summary>
public static class NodeHarness
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static volatile bool installed;

    public static string InteropDirectory { get; } = Path.Combine(FindRepositoryRoot(), "tests", "Interop");

    /// <summary>Runs <paramref name="script"/> (relative to tests/Interop) with <paramref name="stdin"/>, returns stdout.</summary>
    public static async Task<string> RunAsync(string script, string stdin, CancellationToken cancellationToken = default)
    {
        await EnsureInstalledAsync(cancellationToken);
        var (exitCode, stdout, stderr) = await ExecAsync("node", [script], stdin, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"node {script} exited with {exitCode}: {stderr}");
        }

        return stdout;
    }

    public static async Task EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        if (installed)
        {
            return;
        }

        await InstallGate.WaitAsync(cancellationToken);
        try
        {
            if (installed)
            {
                return;
            }

            // A file lock keeps parallel test processes (one per test assembly) from racing npm ci.
            var lockPath = Path.Combine(InteropDirectory, ".install.lock");
            using var fileLock = await AcquireFileLockAsync(lockPath, cancellationToken);
            var marker = Path.Combine(InteropDirectory, "node_modules", ".package-lock.json");
            if (!File.Exists(marker))
            {
                var (exitCode, _, stderr) = await ExecAsync("npm", ["ci", "--no-audit", "--no-fund"], "", cancellationToken);
                if (exitCode != 0)
                {
                    throw new InvalidOperationException($"npm ci failed with {exitCode}: {stderr}");
                }
            }

            installed = true;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> ExecAsync(
        string fileName, IReadOnlyList<string> arguments, string stdin, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdoutTask = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderrTask = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdoutTask, await stderrTask);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln not found above the test binaries");
    }
}
