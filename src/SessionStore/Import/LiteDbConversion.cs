using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Sqlite;
using Gateway.SessionStore.Storage;

namespace Gateway.SessionStore.Import;

/// <summary>
/// Converts a tenant folder written by the LiteDB version, once, at open: the records are copied into a new SQLite
/// file beside the old one, which then takes the old one's name in a rename; the old files are kept as
/// <c>session.litedb.bak</c> until a later open has succeeded on the new file. A crash at any point leaves either
/// the old file in place (converted again next time) or a complete new file whose rename is finished next time.
/// </summary>
internal static class LiteDbConversion
{
    private const string BackupPendingName = "litedb.backup-pending";

    /// <summary>Converts when the tenant's file is a LiteDB one; returns whether it did (or finished doing so).</summary>
    public static bool ConvertIfNeeded(TenantPaths paths, string tenantId, TenantStoreOptions options)
    {
        var staging = paths.Database + ".converting";
        if (!File.Exists(paths.Database) && File.Exists(staging) && File.Exists(paths.LiteDbBackup))
        {
            // The copy committed and the old file was moved aside; only the last rename was missing.
            File.Move(staging, paths.Database);
            return true;
        }

        if (!LiteDbFile.Is(paths.Database))
        {
            return false;
        }

        DeleteDatabase(staging);
        Copy(paths, tenantId, options, staging);
        File.Move(paths.Database, paths.LiteDbBackup, overwrite: true);
        if (File.Exists(paths.LiteDbLog))
        {
            File.Move(paths.LiteDbLog, paths.LiteDbLogBackup, overwrite: true);
        }

        File.Move(staging, paths.Database);
        return true;
    }

    /// <summary>After a later open than the converting one succeeded, the LiteDB files are no longer needed.</summary>
    public static void ForgetBackupOnceConfirmed(TenantPaths paths, TenantConnection connection)
    {
        if (connection.Scalar("SELECT 1 FROM meta WHERE name = $n", ("$n", BackupPendingName)) is null)
        {
            return;
        }

        File.Delete(paths.LiteDbBackup);
        File.Delete(paths.LiteDbLogBackup);
        connection.Execute("DELETE FROM meta WHERE name = $n", ("$n", BackupPendingName));
    }

    private static void Copy(TenantPaths paths, string tenantId, TenantStoreOptions options, string staging)
    {
        using var lite = LiteDbFile.Open(paths.Database, tenantId, options.EncryptionKey, readOnly: false);
        if (lite.UserVersion > LiteDbCollections.LastVersion)
        {
            throw new TenantStoreVersionException(tenantId, lite.UserVersion, LiteDbCollections.LastVersion);
        }

        using var connection = StoreErrors.Guard(tenantId, () => TenantConnection.Open(staging, options.Fsync));
        SchemaMigrations.Upgrade(connection.Connection, tenantId, SchemaMigrations.All);
        connection.Execute("BEGIN IMMEDIATE");
        try
        {
            var sealer = StoreKey.Resolve(connection, tenantId, options.EncryptionKey, isNew: true);
            StoreErrors.Guard(tenantId, () =>
            {
                new LiteDbRecords(lite, connection, new UnitOfWorkAccess(tenantId, sealer, connection)).CopyAll();
                return true;
            });
            connection.Execute("INSERT INTO meta (name, value) VALUES ($n, 1)", ("$n", BackupPendingName));
            connection.Execute("COMMIT");
        }
        catch
        {
            connection.Execute("ROLLBACK");
            throw;
        }
    }

    private static void DeleteDatabase(string path)
    {
        File.Delete(path);
        File.Delete(path + "-wal");
        File.Delete(path + "-shm");
    }
}
