namespace Gateway.WebProtocol.Signal;

/// <summary>
/// What the server hands out for a device we want to start a session with. Keys are the 32-byte raw form;
/// the one-time prekey is absent when the device has run out.
/// </summary>
public sealed record PreKeyBundle(
    uint RegistrationId,
    byte[] IdentityKey,
    uint SignedPreKeyId,
    byte[] SignedPreKey,
    byte[] SignedPreKeySignature,
    uint? PreKeyId = null,
    byte[]? PreKey = null);
