using System.Security.Cryptography;
using Gateway.Emulator.Accounts;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Google.Protobuf;

namespace Gateway.Emulator.Pairing;

/// <summary>
/// The emulated phone's half of ADV: it signs a companion's identity key with the account key and MACs
/// the result with the companion's adv secret; later it checks the companion's counter-signature.
/// </summary>
internal static class AdvIdentityIssuer
{
    private static readonly byte[] AccountSignaturePrefix = [6, 0];
    private static readonly byte[] DeviceSignaturePrefix = [6, 1];

    /// <summary>The encoded ADVSignedDeviceIdentityHMAC for pair-success.</summary>
    public static byte[] Issue(Account account, uint keyIndex, byte[] companionIdentityKey, byte[] advSecret, TimeProvider time)
    {
        var details = new ADVDeviceIdentity
        {
            RawId = account.RawId,
            Timestamp = (ulong)time.GetUtcNow().ToUnixTimeSeconds(),
            KeyIndex = keyIndex,
            AccountType = ADVEncryptionType.E2Ee,
            DeviceType = ADVEncryptionType.E2Ee,
        }.ToByteArray();
        var accountSignature = Curve25519.CalculateSignature(
            account.AccountKey.PrivateKey, [.. AccountSignaturePrefix, .. details, .. companionIdentityKey]);
        var signed = new ADVSignedDeviceIdentity
        {
            Details = ByteString.CopyFrom(details),
            AccountSignatureKey = ByteString.CopyFrom(account.AccountKey.PublicKey),
            AccountSignature = ByteString.CopyFrom(accountSignature),
        }.ToByteArray();
        return new ADVSignedDeviceIdentityHMAC
        {
            Details = ByteString.CopyFrom(signed),
            Hmac = ByteString.CopyFrom(HMACSHA256.HashData(advSecret, signed)),
        }.ToByteArray();
    }

    /// <summary>Checks the companion's pair-device-sign: its device signature over our details and both keys.</summary>
    public static bool VerifyDeviceSignature(Account account, byte[] companionIdentityKey, byte[] signedIdentity)
    {
        ADVSignedDeviceIdentity identity;
        try
        {
            identity = ADVSignedDeviceIdentity.Parser.ParseFrom(signedIdentity);
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }

        if (!identity.HasDetails || !identity.HasDeviceSignature || identity.DeviceSignature.Length != Curve25519.SignatureLength)
        {
            return false;
        }

        byte[] message = [.. DeviceSignaturePrefix, .. identity.Details.Span, .. companionIdentityKey, .. account.AccountKey.PublicKey];
        return Curve25519.VerifySignature(companionIdentityKey, message, identity.DeviceSignature.Span);
    }
}
