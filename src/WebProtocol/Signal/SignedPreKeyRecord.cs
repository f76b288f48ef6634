namespace Gateway.WebProtocol.Signal;

/// <summary>
/// A signed prekey: the key pair, the identity key's XEdDSA signature over 0x05 || public key, and when it
/// was made (Unix milliseconds) so the client can rotate it.
/// </summary>
public sealed record SignedPreKeyRecord(uint Id, KeyPair KeyPair, byte[] Signature, long TimestampMilliseconds);
