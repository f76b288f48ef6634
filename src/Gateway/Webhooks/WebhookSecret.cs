using System.Security.Cryptography;

namespace Gateway.Webhooks;

/// <summary>
/// A Standard Webhooks secret: <c>whsec_</c> + base64 of the key bytes. The text form is what a receiver
/// configures; <see cref="Key"/> is what signs.
/// </summary>
public sealed class WebhookSecret
{
    public const string Prefix = "whsec_";

    private WebhookSecret(string text, byte[] key)
    {
        Text = text;
        Key = key;
        TextBytes = System.Text.Encoding.UTF8.GetBytes(text);
    }

    public string Text { get; }

    internal byte[] Key { get; }

    /// <summary>The text as UTF-8: the key of the simple X-Webhook-Signature.</summary>
    internal byte[] TextBytes { get; }

    public static WebhookSecret Generate() => FromKey(RandomNumberGenerator.GetBytes(32));

    public static WebhookSecret FromKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 16)
        {
            throw new ArgumentException("A webhook secret needs at least 16 bytes.", nameof(key));
        }

        return new WebhookSecret(Prefix + Convert.ToBase64String(key), key);
    }

    /// <summary>Accepts <c>whsec_&lt;base64&gt;</c>; any other non-empty text is taken as raw key bytes (UTF-8).</summary>
    public static WebhookSecret Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var encoded = text[Prefix.Length..];
            var buffer = new byte[encoded.Length];
            if (!Convert.TryFromBase64String(encoded, buffer, out var written) || written == 0)
            {
                throw new FormatException("A whsec_ secret must carry base64 key bytes.");
            }

            return new WebhookSecret(text, buffer[..written]);
        }

        return new WebhookSecret(text, System.Text.Encoding.UTF8.GetBytes(text));
    }

    public override string ToString() => "whsec_***";
}
