using Gateway.Emulator.Accounts;

namespace Gateway.Emulator.Admin;

/// <summary>
/// The public facts a server keeps about a companion linked before this emulator started (a device in a tenant
/// folder written elsewhere): enough to log it in again and to hand its keys to peers.
/// </summary>
/// <param name="Jid">The device's PN JID, <c>phone:N@s.whatsapp.net</c> (N is not 0).</param>
/// <param name="Lid">The device's LID JID, <c>lid:N@lid</c>, the same N.</param>
/// <param name="NoiseKey">The Noise static public key it logs in with (32 bytes).</param>
/// <param name="IdentityKey">Its Signal identity public key (32 bytes).</param>
/// <param name="KeyIndex">The key index of its ADV device identity, listed by usync.</param>
public sealed record AdoptedDevice(
    string Jid,
    string Lid,
    byte[] NoiseKey,
    byte[] IdentityKey,
    uint RegistrationId,
    SignedPreKey SignedPreKey,
    uint KeyIndex);
