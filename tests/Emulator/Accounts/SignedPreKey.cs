namespace Gateway.Emulator.Accounts;

/// <summary>A device's signed prekey as uploaded: 3-byte id, 32-byte public key, 64-byte signature.</summary>
public sealed record SignedPreKey(uint Id, byte[] PublicKey, byte[] Signature);
