namespace Gateway.Emulator.Pairing;

/// <summary>The result of a pairing: the new companion's PN and LID device JIDs.</summary>
public sealed record PairedDevice(string Jid, string Lid);
