using System.Security.Cryptography;

namespace Gateway.SessionStore.Sqlite;

/// <summary>
/// Whether a tenant's file is sealed, and with which key: a sealed file holds its salt and a sealed check value in
/// <c>meta</c>. A file is sealed or plain for life; opening it the other way is refused, never converted silently.
/// </summary>
internal static class StoreKey
{
    private const string SaltName = "seal.salt";
    private const string CheckName = "seal.check";
    private static readonly byte[] CheckValue = "gateway session store"u8.ToArray();

    /// <summary>The sealer for the file; <paramref name="isNew"/> when the file has just been created (it takes the key's side).</summary>
    public static ValueSealer Resolve(TenantConnection connection, string tenantId, string? key, bool isNew)
    {
        var salt = connection.Scalar("SELECT value FROM meta WHERE name = $n", ("$n", SaltName)) as byte[];
        var check = connection.Scalar("SELECT value FROM meta WHERE name = $n", ("$n", CheckName)) as byte[];
        if (salt is null || check is null)
        {
            if (key is null)
            {
                return ValueSealer.Plain;
            }

            if (!isNew)
            {
                throw new TenantStoreKeyException(tenantId, "the file is not encrypted but a key is configured.");
            }

            return Initialize(connection, key);
        }

        if (key is null)
        {
            throw new TenantStoreKeyException(tenantId, "the file is encrypted and no key is configured.");
        }

        var sealer = ValueSealer.ForKey(key, salt);
        try
        {
            sealer.Open(check, "meta", CheckName);
        }
        catch (CryptographicException error)
        {
            throw new TenantStoreKeyException(tenantId, "the key does not match the file.", error);
        }

        return sealer;
    }

    private static ValueSealer Initialize(TenantConnection connection, string key)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var sealer = ValueSealer.ForKey(key, salt);
        connection.Execute("INSERT INTO meta (name, value) VALUES ($n, $v)", ("$n", SaltName), ("$v", salt));
        connection.Execute("INSERT INTO meta (name, value) VALUES ($n, $v)", ("$n", CheckName), ("$v", sealer.Seal(CheckValue, "meta", CheckName)));
        return sealer;
    }
}
