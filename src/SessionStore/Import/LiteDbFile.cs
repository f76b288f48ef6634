using Gateway.SessionStore.Storage;
using LiteDB;

namespace Gateway.SessionStore.Import;

/// <summary>Recognises and opens a tenant file written by the LiteDB version, through LiteDB's public API only.</summary>
internal static class LiteDbFile
{
    // LiteDB 5 writes 1 as the first byte of an encrypted file (then the salt); a plain file's header page names it.
    private const byte EncryptedMarker = 1;
    private const int PageSize = 8192;
    private static readonly byte[] HeaderText = "** This is a LiteDB file **"u8.ToArray();
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <summary>Whether <paramref name="path"/> is a LiteDB file (plain or encrypted) rather than SQLite.</summary>
    public static bool Is(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length < PageSize)
        {
            return false;
        }

        var head = new byte[PageSize];
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1))
        {
            stream.ReadExactly(head);
        }

        if (head.AsSpan().StartsWith(SqliteHeader))
        {
            return false;
        }

        return head.AsSpan().IndexOf(HeaderText) >= 0 || (head[0] == EncryptedMarker && info.Length % PageSize == 0);
    }

    /// <summary>Opens the file LiteDB's own way (its log beside it is replayed), mapping its refusals to store errors.</summary>
    public static LiteDatabase Open(string path, string tenantId, string? key, bool readOnly)
    {
        var encrypted = new FileInfo(path).Length > 0 && ReadFirstByte(path) == EncryptedMarker;
        if (encrypted && key is null)
        {
            throw new TenantStoreKeyException(tenantId, "the file is encrypted and no key is configured.");
        }

        if (!encrypted && key is not null)
        {
            throw new TenantStoreKeyException(tenantId, "the file is not encrypted but a key is configured.");
        }

        var connection = new ConnectionString
        {
            Filename = path,
            Password = key,
            Connection = ConnectionType.Direct,
            ReadOnly = readOnly,
        };
        try
        {
            var database = new LiteDatabase(connection);
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
        catch (Exception ex) when (ex is not TenantStoreException and not OperationCanceledException)
        {
            throw new TenantStoreCorruptException(tenantId, ex);
        }
    }

    private static int ReadFirstByte(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        return stream.ReadByte();
    }
}
