using System.Security.Cryptography;
using System.Text;

namespace Gateway.Providers.Cloud;

/// <summary>Meta's X-Hub-Signature-256: <c>sha256=</c> + hex HMAC-SHA256 of the raw body with the app secret.</summary>
public static class CloudSignature
{
    public static string Compute(string appSecret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    public static bool IsValid(string? header, string appSecret, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(header) || !header.StartsWith("sha256=", StringComparison.Ordinal) || header.Length != 7 + 64)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(appSecret, body));
        var given = Encoding.ASCII.GetBytes(header.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
