namespace Gateway.Emulator.Admin;

/// <summary>Standing faults for a device; null fields are left as they are.</summary>
/// <param name="CorruptMessages">The next N messages routed to the device arrive with their enc ciphertext tampered.</param>
public sealed record FaultSettings(bool? IgnorePings = null, int? RefuseLoginReason = null, int? AckDelayMs = null, int? CorruptMessages = null);
