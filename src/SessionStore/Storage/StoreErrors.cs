using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// Turns what a damaged file makes SQLite or a record decoder throw into <see cref="TenantStoreCorruptException"/>.
/// Misuse, refused writes and cancellation pass through.
/// </summary>
internal static class StoreErrors
{
    // SQLITE_CORRUPT and SQLITE_NOTADB (primary result codes).
    private const int Corrupt = 11;
    private const int NotADatabase = 26;

    public static T Guard<T>(string tenantId, Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            throw new TenantStoreCorruptException(tenantId, ex);
        }
    }

    public static bool IsDamage(Exception ex) => ex switch
    {
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) is Corrupt or NotADatabase,
        CryptographicException => true, // a sealed value that does not open where it is stored
        LiteDB.LiteException => true, // a LiteDB file read for its conversion
        FormatException or System.Text.Json.JsonException or Google.Protobuf.InvalidProtocolBufferException => true,
        _ => false,
    };
}
