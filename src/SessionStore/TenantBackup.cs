using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;

namespace Gateway.SessionStore;

/// <summary>
/// One tenant as one file: the LiteDB file itself after a checkpoint (so it holds every commit and no log),
/// encrypted with the store key when there is one. Import checks the file before it replaces anything.
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
    /// <paramref name="options"/>, read completely and have a schema this build knows.
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
            Verify(staging, tenantId, options.EncryptionKey);
            // The old log belongs to the old file; replaying it over the new one would corrupt it.
            File.Delete(paths.Log);
            File.Move(staging, paths.Database, overwrite: true);
        }
        finally
        {
            File.Delete(staging);
        }
    }

    private static void Verify(string path, string tenantId, string? key)
    {
        using var database = DatabaseOpener.Open(path, tenantId, key, readOnly: true);
        StoreErrors.Guard(tenantId, () =>
        {
            if (database.UserVersion > SchemaMigrations.CurrentVersion)
            {
                throw new TenantStoreVersionException(tenantId, database.UserVersion, SchemaMigrations.CurrentVersion);
            }
            // Read every document once, so a damaged page is found now and not after the old state is gone.
            foreach (var name in database.GetCollectionNames())
            {
                foreach (var _ in database.GetCollection(name).FindAll())
                {
                }
            }
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
