using Gateway.SessionStore.Import;
using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Sqlite;
using Gateway.SessionStore.Storage;

namespace Gateway.SessionStore;

/// <summary>
/// One tenant as one file: SQLite's online backup of the committed state, with its values sealed as they are in the
/// store. Import checks the file before it replaces anything; a backup made by the LiteDB version is accepted too
/// and converted at the tenant's next open.
/// </summary>
public static class TenantBackup
{
    /// <summary>Writes the tenant's committed state to <paramref name="destinationPath"/> (replaced atomically).</summary>
    public static Task ExportAsync(TenantStore store, string destinationPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(destinationPath);
        return store.ExportAsync(destinationPath, cancellationToken);
    }

    /// <summary>
    /// Makes <paramref name="sourcePath"/> the tenant's store. The tenant must not be open anywhere; an existing
    /// store is replaced only when <paramref name="replaceExisting"/> is set. The file must open with the key in
    /// <paramref name="options"/>, pass SQLite's integrity check and have a schema this build knows.
    /// </summary>
    public static async Task ImportAsync(string sessionsDirectory, string tenantId, string sourcePath, TenantStoreOptions? options, bool replaceExisting, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        options ??= new TenantStoreOptions();
        var paths = TenantPaths.For(sessionsDirectory, tenantId);
        using var tenantLock = TenantLock.Acquire(paths, tenantId);
        if (File.Exists(paths.Database) && !replaceExisting)
        {
            throw new InvalidOperationException($"Tenant '{tenantId}' already has a store; pass replaceExisting to overwrite it.");
        }

        var staging = paths.Database + ".import";
        await CopyAsync(sourcePath, staging, cancellationToken).ConfigureAwait(false);
        try
        {
            Verify(staging, tenantId, options);
            // The old log belongs to the old file; replaying it over the new one would corrupt it.
            foreach (var stale in new[] { paths.Database + "-wal", paths.Database + "-shm", paths.LiteDbLog })
            {
                File.Delete(stale);
            }

            File.Move(staging, paths.Database, overwrite: true);
        }
        finally
        {
            File.Delete(staging);
            File.Delete(staging + "-wal");
            File.Delete(staging + "-shm");
        }
    }

    private static void Verify(string path, string tenantId, TenantStoreOptions options)
    {
        if (LiteDbFile.Is(path))
        {
            using var lite = LiteDbFile.Open(path, tenantId, options.EncryptionKey, readOnly: true);
            StoreErrors.Guard(tenantId, () => lite.GetCollectionNames().Sum(name => lite.GetCollection(name).FindAll().Count()));
            return;
        }

        using var connection = StoreErrors.Guard(tenantId, () => TenantConnection.Open(path, options.Fsync));
        StoreErrors.Guard(tenantId, () =>
        {
            if (connection.Scalar("PRAGMA integrity_check") as string != "ok")
            {
                throw new TenantStoreCorruptException(tenantId);
            }

            if (connection.Scalar("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'") is null)
            {
                throw new TenantStoreCorruptException(tenantId);
            }

            var version = SchemaMigrations.Found(connection.Connection);
            if (version > SchemaMigrations.CurrentVersion)
            {
                throw new TenantStoreVersionException(tenantId, version, SchemaMigrations.CurrentVersion);
            }

            StoreKey.Resolve(connection, tenantId, options.EncryptionKey, isNew: false);
            return true;
        });
    }

    internal static async Task CopyAsync(string source, string destination, CancellationToken cancellationToken)
    {
        var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 81920, FileOptions.Asynchronous);
        await using (input.ConfigureAwait(false))
        {
            var target = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (target.ConfigureAwait(false))
            {
                await input.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                target.Flush(flushToDisk: true);
            }
        }
    }
}
