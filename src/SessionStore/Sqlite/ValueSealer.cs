using System.Security.Cryptography;
using System.Text;

namespace Gateway.SessionStore.Sqlite;

/// <summary>
/// Encryption at rest without an encrypting SQLite build: with a store key every secret and all content is sealed
/// per value with AES-256-GCM. The key comes from GATEWAY_STORE_KEY by HKDF-SHA256 with the file's own salt; the
/// value's table and row id are its associated data, so a sealed value moved to another row does not open. Without a
/// key values are stored as they are.
/// </summary>
internal sealed class ValueSealer
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Info = "gateway session store v1"u8.ToArray();

    private readonly byte[]? key;

    private ValueSealer(byte[]? key)
    {
        this.key = key;
    }

    public static ValueSealer Plain { get; } = new(null);

    public bool IsSealing => key is not null;

    public static ValueSealer ForKey(string storeKey, byte[] salt) =>
        new(HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(storeKey), 32, salt, Info));

    public byte[] Seal(ReadOnlySpan<byte> plain, string table, string row)
    {
        if (key is null)
        {
            return plain.ToArray();
        }

        var sealedValue = new byte[1 + NonceSize + plain.Length + TagSize];
        sealedValue[0] = Version;
        var nonce = sealedValue.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedValue.AsSpan(1 + NonceSize, plain.Length), sealedValue.AsSpan(1 + NonceSize + plain.Length), Associated(table, row));
        return sealedValue;
    }

    /// <summary>The plain value; throws <see cref="CryptographicException"/> when the value was not sealed for this row with this key.</summary>
    public byte[] Open(byte[] stored, string table, string row)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (key is null)
        {
            return stored;
        }

        if (stored.Length < 1 + NonceSize + TagSize || stored[0] != Version)
        {
            throw new CryptographicException("The value is not sealed in a form this build reads.");
        }

        var length = stored.Length - 1 - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(stored.AsSpan(1, NonceSize), stored.AsSpan(1 + NonceSize, length), stored.AsSpan(1 + NonceSize + length), plain, Associated(table, row));
        return plain;
    }

    private static byte[] Associated(string table, string row) => Encoding.UTF8.GetBytes(table + "\n" + row);
}
