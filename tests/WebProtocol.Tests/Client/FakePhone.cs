using System.Security.Cryptography;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Google.Protobuf;
using static Gateway.WebProtocol.Tests.Client.TestNodes;

namespace Gateway.WebProtocol.Tests.Client;

/// <summary>What the phone and server do at pairing: read the QR code and sign the new device's identity.</summary>
internal static class FakePhone
{
    public sealed record QrParts(string Reference, byte[] NoisePublic, byte[] IdentityPublic, byte[] AdvSecret, string Platform);

    public static QrParts ParseQr(string text)
    {
        var parts = text[(text.IndexOf('#', StringComparison.Ordinal) + 1)..].Split(',');
        return new QrParts(parts[0], Convert.FromBase64String(parts[1]), Convert.FromBase64String(parts[2]), Convert.FromBase64String(parts[3]), parts[4]);
    }

    /// <summary>A pair-success as the server builds it; the flags break one check each.</summary>
    public static Node PairSuccess(
        QrParts qr, KeyPair account, string deviceJid, string lidJid, bool badHmac = false, bool badAccountSignature = false, bool noKeyIndex = false)
    {
        var identity = new ADVDeviceIdentity { RawId = 7, Timestamp = 1_700_000_000 };
        if (!noKeyIndex)
        {
            identity.KeyIndex = 1;
        }

        var details = identity.ToByteArray();
        var signature = Curve25519.CalculateSignature(account.PrivateKey, [6, 0, .. details, .. qr.IdentityPublic]);
        if (badAccountSignature)
        {
            signature[5] ^= 1;
        }

        var signed = new ADVSignedDeviceIdentity
        {
            Details = ByteString.CopyFrom(details),
            AccountSignatureKey = ByteString.CopyFrom(account.PublicKey),
            AccountSignature = ByteString.CopyFrom(signature),
        }.ToByteArray();
        var hmac = HMACSHA256.HashData(qr.AdvSecret, signed);
        if (badHmac)
        {
            hmac[0] ^= 1;
        }

        var container = new ADVSignedDeviceIdentityHMAC { Details = ByteString.CopyFrom(signed), Hmac = ByteString.CopyFrom(hmac) };
        return N(
            "iq",
            [("from", "@s.whatsapp.net"), ("type", "set"), ("id", "pair-1"), ("xmlns", "md")],
            N("pair-success", [],
                B("device-identity", container.ToByteArray()),
                N("platform", ("name", "android")),
                N("device", ("jid", deviceJid), ("lid", lidJid))));
    }
}
