namespace Gateway.WebProtocol.Noise;

/// <summary>The Signal keys a new companion device announces in its registration ClientPayload.</summary>
/// <param name="RegistrationId">Signal registration id (sent as 4 bytes big-endian).</param>
/// <param name="IdentityPublicKey">32-byte identity public key (without the 0x05 type byte).</param>
/// <param name="SignedPreKeyId">Signed prekey id (sent as 3 bytes big-endian, so at most 0xFFFFFF).</param>
/// <param name="SignedPreKeyPublicKey">32-byte signed prekey public key.</param>
/// <param name="SignedPreKeySignature">64-byte XEdDSA signature of the prekey by the identity key.</param>
public sealed record DeviceRegistrationKeys(
    uint RegistrationId,
    ReadOnlyMemory<byte> IdentityPublicKey,
    uint SignedPreKeyId,
    ReadOnlyMemory<byte> SignedPreKeyPublicKey,
    ReadOnlyMemory<byte> SignedPreKeySignature);
