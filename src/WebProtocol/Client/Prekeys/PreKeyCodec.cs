using System.Buffers.Binary;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Types;

namespace Gateway.WebProtocol.Client.Prekeys;

/// <summary>Prekey upload, count and fetch stanzas (protocol notes section 6).</summary>
internal static class PreKeyCodec
{
    private static readonly byte[] KeyType = [Curve25519.DjbKeyType];

    public static Node BuildCount(string id) => Stanza.Make(
        "iq", Stanza.Attrs(("id", id), ("xmlns", "encrypt"), ("type", "get"), ("to", Stanza.Server)), Stanza.Make("count"));

    public static Node BuildDigest(string id) => Stanza.Make(
        "iq", Stanza.Attrs(("id", id), ("xmlns", "encrypt"), ("type", "get"), ("to", Stanza.Server)), Stanza.Make("digest"));

    public static Node BuildUpload(
        string id, uint registrationId, ReadOnlySpan<byte> identityPublic, IEnumerable<PreKeyRecord> preKeys, SignedPreKeyRecord signedPreKey)
    {
        var registration = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(registration, registrationId);
        return Stanza.Make(
            "iq",
            Stanza.Attrs(("id", id), ("xmlns", "encrypt"), ("type", "set"), ("to", Stanza.Server)),
            Stanza.Bytes("registration", registration),
            Stanza.Bytes("type", KeyType),
            Stanza.Bytes("identity", identityPublic.ToArray()),
            Stanza.Make("list", preKeys.Select(key => KeyNode(key.Id, key.KeyPair.PublicKey)).ToArray()),
            SignedKeyNode(signedPreKey));
    }

    public static Node KeyNode(uint id, byte[] publicKey) =>
        Stanza.Make("key", Stanza.Bytes("id", Id3(id)), Stanza.Bytes("value", publicKey));

    public static Node SignedKeyNode(SignedPreKeyRecord signedPreKey) => Stanza.Make(
        "skey",
        Stanza.Bytes("id", Id3(signedPreKey.Id)),
        Stanza.Bytes("value", signedPreKey.KeyPair.PublicKey),
        Stanza.Bytes("signature", signedPreKey.Signature));

    /// <summary>The server's count of our unused one-time prekeys.</summary>
    public static int ParseCount(Node result) =>
        (int)(result.GetChild("count")?.GetInt64Attribute("value") ?? throw new WireFormatException("count result has no value"));

    public static Node BuildFetch(string id, IEnumerable<Jid> devices, string? reason = null) => Stanza.Make(
        "iq",
        Stanza.Attrs(("id", id), ("xmlns", "encrypt"), ("type", "get"), ("to", Stanza.Server)),
        Stanza.Make("key", devices.Select(device => Stanza.Make("user", Stanza.Attrs(("jid", device.ToString()), ("reason", reason)))).ToArray()));

    /// <summary>Bundles by device; users with an error or missing parts are left out.</summary>
    public static Dictionary<Jid, PreKeyBundle> ParseBundles(Node result)
    {
        var bundles = new Dictionary<Jid, PreKeyBundle>();
        var list = result.GetChild("list") ?? throw new WireFormatException("prekey result has no list");
        foreach (var user in list.GetChildren("user"))
        {
            if (user.GetChild("error") is not null || user.GetJidAttribute("jid") is not { } jid)
            {
                continue;
            }

            bundles[jid] = ParseBundle(user);
        }

        return bundles;
    }

    /// <summary>A bundle from a node holding registration, identity, skey and optionally key (fetch result or retry receipt).</summary>
    public static PreKeyBundle ParseBundle(Node holder)
    {
        var registration = Fixed(holder.GetChild("registration"), 4, "registration");
        var identity = Fixed(holder.GetChild("identity"), 32, "identity");
        var signed = holder.GetChild("skey") ?? throw new WireFormatException("bundle has no signed prekey");
        var preKey = holder.GetChild("key");
        return new PreKeyBundle(
            BinaryPrimitives.ReadUInt32BigEndian(registration),
            identity,
            ReadId(signed.GetChild("id")),
            Fixed(signed.GetChild("value"), 32, "signed prekey"),
            Fixed(signed.GetChild("signature"), 64, "signed prekey signature"),
            preKey is null ? null : ReadId(preKey.GetChild("id")),
            preKey is null ? null : Fixed(preKey.GetChild("value"), 32, "prekey"));
    }

    public static byte[] Id3(uint id) => [(byte)(id >> 16), (byte)(id >> 8), (byte)id];

    private static uint ReadId(Node? node)
    {
        var bytes = node?.Bytes ?? throw new WireFormatException("key id is missing");
        if (bytes.Length is 0 or > 4)
        {
            throw new WireFormatException("key id has the wrong length");
        }

        uint value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private static byte[] Fixed(Node? node, int length, string what)
    {
        var bytes = node?.Bytes ?? throw new WireFormatException($"bundle has no {what}");
        // Keys may come with the 0x05 type byte in front.
        if (length == 32 && bytes.Length == 33 && bytes[0] == Curve25519.DjbKeyType)
        {
            return bytes[1..];
        }

        return bytes.Length == length ? bytes : throw new WireFormatException($"bundle {what} has the wrong length");
    }
}
