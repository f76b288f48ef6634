namespace Gateway.WebProtocol.Signal;

/// <summary>A one-time prekey: used by at most one incoming session, then removed.</summary>
public sealed record PreKeyRecord(uint Id, KeyPair KeyPair);
