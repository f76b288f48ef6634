using System.Diagnostics;

namespace Gateway.SessionStore.Tests;

/// <summary>Starts the CrashWriter child (built beside the tests through a project reference).</summary>
internal static class ChildProcess
{
    public static Process Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Gateway.SessionStore.CrashWriter.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the child process");
    }
}
