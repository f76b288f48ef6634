using System.Security.Cryptography;
using System.Text;

namespace Gateway.Security;

/// <summary>Keys are kept and compared as SHA-256 digests, in constant time.</summary>
internal static class ApiKeyHash
{
    public static byte[] Of(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool Matches(ReadOnlySpan<byte> presentedHash, ReadOnlySpan<byte> storedHash) =>
        CryptographicOperations.FixedTimeEquals(presentedHash, storedHash);

    /// <summary>A new random key with a prefix that tells its kind in a config file or a leak scanner.</summary>
    public static string NewKey(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
