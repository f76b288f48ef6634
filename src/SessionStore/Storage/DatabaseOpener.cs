using LiteDB;
using LiteDB.Engine;

namespace Gateway.SessionStore.Storage;

/// <summary>Opens a LiteDB file and turns LiteDB's ways of refusing it into typed store errors.</summary>
internal static class DatabaseOpener
{
    // LiteDB 5 writes 1 as the first byte of an encrypted file (then the salt); a plain file starts with page 0's id, 0.
    private const byte EncryptedMarker = 1;

    /// <summary>Opens a store's file for writing over streams we own (see <see cref="TenantFiles"/>).</summary>
    public static LiteDatabase Open(TenantFiles files, string tenantId, string? key)
    {
        PageCacheSegments.EnsureApplied();

        // LiteDB wraps our streams in its StreamFactory: the password still applies (AesStream over each stream),
        // and the file format is the one its own file factory writes.
        var settings = new EngineSettings
        {
            DataStream = files.Data,
            LogStream = files.Log,
            Password = key,
        };
        return Translate(tenantId, () => new LiteDatabase(new LiteEngine(settings)));
    }

    /// <summary>Opens a file LiteDB's own way; used read-only, to check a backup before it is imported.</summary>
    public static LiteDatabase Open(string path, string tenantId, string? key, bool readOnly)
    {
        CheckKey(path, tenantId, key);
        var connection = new ConnectionString
        {
            Filename = path,
            Password = key,
            Connection = ConnectionType.Direct,
            ReadOnly = readOnly,
        };
        return Translate(tenantId, () => new LiteDatabase(connection));
    }

    /// <summary>Refuses a key for a plain file and a missing key for an encrypted one.</summary>
    public static void CheckKey(string path, string tenantId, string? key)
    {
        var encrypted = IsEncrypted(path);
        if (encrypted == true && key is null)
        {
            throw new TenantStoreKeyException(tenantId, "the file is encrypted and no key is configured.");
        }
        if (encrypted == false && key is not null)
        {
            throw new TenantStoreKeyException(tenantId, "the file is not encrypted but a key is configured.");
        }
    }

    private static LiteDatabase Translate(string tenantId, Func<LiteDatabase> open)
    {
        try
        {
            var database = open();
            try
            {
                // Opening reads only the header; touching the collection list makes a broken header fail here.
                _ = database.GetCollectionNames().ToList();
                _ = database.UserVersion;
                return database;
            }
            catch
            {
                database.Dispose();
                throw;
            }
        }
        catch (LiteException ex) when (ex.ErrorCode is LiteException.INVALID_PASSWORD or LiteException.NOT_ENCRYPTED)
        {
            throw new TenantStoreKeyException(tenantId, "the key does not match the file.", ex);
        }
        catch (Exception ex) when (StoreErrors.IsDamage(ex))
        {
            throw new TenantStoreCorruptException(tenantId, ex);
        }
    }

    /// <summary>Whether an existing file is encrypted; null when there is no file (or an empty one) yet.</summary>
    public static bool? IsEncrypted(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length == 0)
        {
            return null;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        return stream.ReadByte() == EncryptedMarker;
    }
}
