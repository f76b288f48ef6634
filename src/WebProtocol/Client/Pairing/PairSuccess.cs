using System.Globalization;
using System.Security.Cryptography;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Types;
using Google.Protobuf;

namespace Gateway.WebProtocol.Client.Pairing;

/// <summary>What a verified pair-success gives us: who we are now, and the reply that completes the pairing.</summary>
internal sealed record PairSuccessResult(
    Jid Device, Jid? Lid, string? Platform, string? BusinessName, byte[] SignedDeviceIdentity, Node Reply);

/// <summary>
/// Checks the phone's pair-success for real (protocol notes section 4): the HMAC under our ADV secret, the
/// account signature over our identity key, and that a key index is present; then signs the device identity.
/// </summary>
internal static class PairSuccess
{
    private static readonly byte[] AccountSignaturePrefix = [6, 0];
    private static readonly byte[] DeviceSignaturePrefix = [6, 1];
    private static readonly byte[] HostedAccountSignaturePrefix = [6, 5];

    public static PairSuccessResult Verify(Node iq, ReadOnlySpan<byte> advSecret, KeyPair identity)
    {
        ArgumentNullException.ThrowIfNull(iq);
        ArgumentNullException.ThrowIfNull(identity);
        var id = iq.GetAttribute("id") ?? throw new PairingException("pair-success has no id");
        var success = iq.GetChild("pair-success") ?? throw new PairingException("not a pair-success");
        var identityBytes = success.GetChild("device-identity")?.Bytes ?? throw new PairingException("pair-success lacks device-identity");
        var deviceNode = success.GetChild("device") ?? throw new PairingException("pair-success lacks device");
        if (deviceNode.GetJidAttribute("jid") is not { } device)
        {
            throw new PairingException("pair-success device has no jid");
        }

        var hmacMessage = Parse(ADVSignedDeviceIdentityHMAC.Parser, identityBytes, "device identity HMAC");
        if (!hmacMessage.HasDetails || !hmacMessage.HasHmac)
        {
            throw new PairingException("device identity HMAC is incomplete");
        }

        var details = hmacMessage.Details.ToByteArray();
        var hosted = hmacMessage.HasAccountType && hmacMessage.AccountType == ADVEncryptionType.Hosted;
        var expected = HMACSHA256.HashData(advSecret, hosted ? [.. HostedAccountSignaturePrefix, .. details] : details);
        if (!CryptographicOperations.FixedTimeEquals(expected, hmacMessage.Hmac.Span))
        {
            throw new PairingException("device identity HMAC does not match our ADV secret");
        }

        var account = Parse(ADVSignedDeviceIdentity.Parser, details, "signed device identity");
        if (account.AccountSignatureKey.Length != Curve25519.KeyLength || account.AccountSignature.Length != Curve25519.SignatureLength)
        {
            throw new PairingException("account signature key or signature has the wrong length");
        }

        var deviceDetails = account.Details.ToByteArray();
        var deviceIdentity = Parse(ADVDeviceIdentity.Parser, deviceDetails, "device identity");
        if (!deviceIdentity.HasKeyIndex)
        {
            throw new PairingException("device identity has no key index");
        }

        var accountKey = account.AccountSignatureKey.ToByteArray();
        var accountPrefix = deviceIdentity.HasDeviceType && deviceIdentity.DeviceType == ADVEncryptionType.Hosted
            ? HostedAccountSignaturePrefix
            : AccountSignaturePrefix;
        if (!Curve25519.VerifySignature(accountKey, [.. accountPrefix, .. deviceDetails, .. identity.PublicKey], account.AccountSignature.Span))
        {
            throw new PairingException("account signature does not verify");
        }

        account.DeviceSignature = ByteString.CopyFrom(
            Curve25519.CalculateSignature(identity.PrivateKey, [.. DeviceSignaturePrefix, .. deviceDetails, .. identity.PublicKey, .. accountKey]));
        var withKey = account.ToByteArray();
        var withoutKey = account.Clone();
        withoutKey.ClearAccountSignatureKey();

        var reply = Stanza.Make(
            "iq",
            Stanza.Attrs(("to", Stanza.Server), ("type", "result"), ("id", id)),
            Stanza.Make(
                "pair-device-sign",
                Stanza.Bytes(
                    "device-identity",
                    Stanza.Attrs(("key-index", deviceIdentity.KeyIndex.ToString(CultureInfo.InvariantCulture))),
                    withoutKey.ToByteArray())));
        return new PairSuccessResult(
            device,
            deviceNode.GetJidAttribute("lid"),
            success.GetChild("platform")?.GetAttribute("name"),
            success.GetChild("biz")?.GetAttribute("name"),
            withKey,
            reply);
    }

    /// <summary>The answer whatsmeow gives when a check fails, so the phone shows an error instead of waiting.</summary>
    public static Node ErrorReply(string id) => Stanza.Make(
        "iq",
        Stanza.Attrs(("to", Stanza.Server), ("type", "error"), ("id", id)),
        Stanza.Make("error", Stanza.Attrs(("code", "500"), ("text", "internal-error"))));

    private static T Parse<T>(MessageParser<T> parser, byte[] bytes, string what)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new PairingException($"{what} is not valid protobuf", ex);
        }
    }
}
