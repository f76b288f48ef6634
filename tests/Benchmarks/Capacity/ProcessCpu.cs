using System.Diagnostics;
using System.Globalization;

namespace Gateway.Benchmarks.Capacity;

/// <summary>
/// CPU time (user + system, as the kernel counts it) of the gateway, the emulator and this driver over a phase, so a
/// throughput figure comes with the share each process took of the shared cores.
/// </summary>
internal sealed class ProcessCpu
{
    private readonly (string Name, int Pid)[] processes;
    private readonly TimeSpan[] start;

    private ProcessCpu((string Name, int Pid)[] processes)
    {
        this.processes = processes;
        start = processes.Select(p => Read(p.Pid)).ToArray();
    }

    public static ProcessCpu Start(params (string Name, int Pid)[] processes) => new(processes);

    /// <summary>"gateway 3.21 s (1.61 ms/msg), emulator ..." for the CPU used since <see cref="Start"/>.</summary>
    public string Report(int messages)
    {
        var parts = new List<string>();
        for (var i = 0; i < processes.Length; i++)
        {
            var used = Read(processes[i].Pid) - start[i];
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{processes[i].Name} {used.TotalSeconds:F2} s ({used.TotalMilliseconds / Math.Max(1, messages):F2} ms/msg)"));
        }

        return string.Join(", ", parts);
    }

    private static TimeSpan Read(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime;
    }
}
