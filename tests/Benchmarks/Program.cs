using BenchmarkDotNet.Running;
using Gateway.Benchmarks.Store;

// `dotnet run -c Release --project tests/Benchmarks -- --filter '*'` runs every benchmark; see docs/benchmarks.md.
// `-- store-memory N`, `-- store-commit N`, `-- store-alloc N` and `-- store-reopen N` print the SessionStore figures; `-- emulator-connections N` the emulator's;
// `-- client-throughput N` our client against stock Baileys, end to end through the emulator.
// `-- load N [--messages M --in-flight C --link-parallel L --idle-seconds S --no-restart]` the gateway's capacity,
// `-- baileys-load N [...]` stock Baileys' on the same emulator (see docs/benchmarks.md).
switch (args)
{
    case ["store-memory", var n]:
        await StoreFigures.MemoryAsync(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture));
        break;
    case ["store-reopen", var n]:
        await StoreFigures.ReopenAsync(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture));
        break;
    case ["store-commit", var n]:
        await StoreFigures.CommitAsync(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture));
        break;
    case ["store-alloc", var n]:
        await StoreAllocations.RunAsync(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture));
        break;
    case ["emulator-connections", var n]:
        await Gateway.Benchmarks.Emulator.EmulatorFigures.ConnectionsAsync(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture));
        break;
    case ["client-throughput", var n]:
        await Gateway.Benchmarks.Client.ClientThroughputFigures.ThroughputAsync(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture));
        break;
    case ["load", .. var load]:
        await Gateway.Benchmarks.Capacity.CapacityRun.RunAsync(Gateway.Benchmarks.Capacity.CapacityOptions.Parse(load));
        break;
    case ["baileys-load", .. var load]:
        await Gateway.Benchmarks.Capacity.BaileysRun.RunAsync(Gateway.Benchmarks.Capacity.CapacityOptions.Parse(load));
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        break;
}
