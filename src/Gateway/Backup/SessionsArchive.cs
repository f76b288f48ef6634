using System.IO.Compression;
using Gateway.Sessions;
using Gateway.SessionStore;

namespace Gateway.Backup;

/// <summary>
/// A backup of tenants as one zip: <c>&lt;tenant&gt;/session.db</c> (the store's own export, encrypted if the store
/// is) and <c>&lt;tenant&gt;/settings.json</c>. Restoring checks every store before it replaces anything of that tenant.
/// </summary>
public static class SessionsArchive
{
    private const string DatabaseEntry = "session.db";

    /// <summary>Adds one tenant to an archive being written.</summary>
    public static async Task AddTenantAsync(ZipArchive archive, string tenantId, TenantStore store, string tenantDirectory, CancellationToken cancellationToken)
    {
        var exported = Path.Combine(Path.GetTempPath(), $"gateway-export-{Guid.NewGuid():N}.db");
        try
        {
            await TenantBackup.ExportAsync(store, exported, cancellationToken);
            await archive.CreateEntryFromFileAsync(exported, $"{tenantId}/{DatabaseEntry}", CompressionLevel.Optimal, cancellationToken);
            var settings = TenantSettingsFile.PathFor(tenantDirectory);
            if (File.Exists(settings))
            {
                await archive.CreateEntryFromFileAsync(settings, $"{tenantId}/{TenantSettingsFile.FileName}", CompressionLevel.Optimal, cancellationToken);
            }
        }
        finally
        {
            File.Delete(exported);
        }
    }

    /// <summary>Restores every tenant in the archive; returns their ids. Refuses tenants that exist unless told.</summary>
    public static async Task<IReadOnlyList<string>> RestoreAsync(string archivePath, string sessionsDirectory, TenantStoreOptions storeOptions, bool replaceExisting, CancellationToken cancellationToken)
    {
        using var archive = await ZipFile.OpenReadAsync(archivePath, cancellationToken);
        var tenants = archive.Entries
            .Select(e => e.FullName.Split('/'))
            .Where(parts => parts is [_, DatabaseEntry])
            .Select(parts => parts[0])
            .ToArray();
        foreach (var tenantId in tenants)
        {
            if (!TenantId.IsValid(tenantId))
            {
                throw new InvalidDataException($"The archive names an invalid tenant id: {TenantId.Rule}.");
            }
        }

        foreach (var tenantId in tenants)
        {
            var extracted = Path.Combine(Path.GetTempPath(), $"gateway-restore-{Guid.NewGuid():N}.db");
            try
            {
                await archive.GetEntry($"{tenantId}/{DatabaseEntry}")!.ExtractToFileAsync(extracted, cancellationToken);
                await TenantBackup.ImportAsync(sessionsDirectory, tenantId, extracted, storeOptions, replaceExisting, cancellationToken);
                if (archive.GetEntry($"{tenantId}/{TenantSettingsFile.FileName}") is { } settings)
                {
                    await settings.ExtractToFileAsync(TenantSettingsFile.PathFor(Path.Combine(sessionsDirectory, tenantId)), overwrite: true, cancellationToken);
                }
            }
            finally
            {
                File.Delete(extracted);
            }
        }

        return tenants;
    }
}
