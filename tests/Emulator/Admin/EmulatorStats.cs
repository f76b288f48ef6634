namespace Gateway.Emulator.Admin;

/// <summary>Process-level figures for capacity runs: connections and memory after a full collection.</summary>
public sealed record EmulatorStats(int OpenConnections, int Devices, long ManagedBytes, long WorkingSetBytes);
