using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Webhooks;

/// <summary>The headers that let a receiver check a delivery.</summary>
public sealed record WebhookSignatureHeaders(string Id, string Timestamp, string Signature, string SimpleSignature)
{
    public IEnumerable<KeyValuePair<string, string>> All()
    {
        yield return new("webhook-id", Id);
        yield return new("webhook-timestamp", Timestamp);
        yield return new("webhook-signature", Signature);
        yield return new("X-Webhook-Signature", SimpleSignature);
    }
}

/// <summary>
/// Signs a delivery per the Standard Webhooks spec: <c>v1,base64(HMAC-SHA256(key, id.timestamp.body))</c>, one
/// entry per valid secret (space-separated) so receivers keep working while a secret rotates. Also the simple
/// <c>X-Webhook-Signature: sha256=hex(HMAC-SHA256(secret text, body))</c> with the newest secret, for receivers
/// that only check the body.
/// </summary>
public static class WebhookSignature
{
    public static WebhookSignatureHeaders Sign(string id, DateTimeOffset timestamp, ReadOnlySpan<byte> body, IReadOnlyList<WebhookSecret> secrets)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0)
        {
            throw new ArgumentException("At least one secret is needed.", nameof(secrets));
        }

        // Three deliveries per message: the signed text "id.timestamp.body" goes in a pooled buffer, the MACs on
        // the stack, and only the header strings are allocated.
        var seconds = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var prefixLength = Encoding.UTF8.GetByteCount(id) + seconds.Length + 2;
        var rented = ArrayPool<byte>.Shared.Rent(prefixLength + body.Length);
        string signature;
        try
        {
            var signed = rented.AsSpan(0, prefixLength + body.Length);
            var at = Encoding.UTF8.GetBytes(id, signed);
            signed[at++] = (byte)'.';
            at += Encoding.ASCII.GetBytes(seconds, signed[at..]);
            signed[at++] = (byte)'.';
            body.CopyTo(signed[at..]);
            var entries = new string[secrets.Count];
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = Entry(secrets[i].Key, signed);
            }

            signature = entries.Length == 1 ? entries[0] : string.Join(' ', entries);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secrets[0].TextBytes, body, mac);
        return new WebhookSignatureHeaders(id, seconds, signature, "sha256=" + Convert.ToHexStringLower(mac));
    }

    private static string Entry(byte[] key, ReadOnlySpan<byte> signed)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, signed, mac);
        return "v1," + Convert.ToBase64String(mac);
    }
}
