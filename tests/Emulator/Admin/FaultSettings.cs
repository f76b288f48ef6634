namespace Gateway.Emulator.Admin;

/// <summary>Standing faults for a device; null fields are left as they are.</summary>
public sealed record FaultSettings(bool? IgnorePings = null, int? RefuseLoginReason = null, int? AckDelayMs = null);
