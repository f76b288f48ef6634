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

        var seconds = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var prefix = Encoding.UTF8.GetBytes($"{id}.{seconds}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));

        var signatures = new StringBuilder();
        foreach (var secret in secrets)
        {
            if (signatures.Length > 0)
            {
                signatures.Append(' ');
            }

            signatures.Append("v1,").Append(Convert.ToBase64String(HMACSHA256.HashData(secret.Key, signed)));
        }

        var simpleKey = Encoding.UTF8.GetBytes(secrets[0].Text);
        var simple = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(simpleKey, body));
        return new WebhookSignatureHeaders(id, seconds, signatures.ToString(), simple);
    }
}
