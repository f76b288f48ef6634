using System.Reflection;
using Gateway.SessionStore.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gateway.SessionStore.Schema;

/// <summary>One numbered step of the schema: the SQL of <c>Schema/Migrations/NNN_name.sql</c>.</summary>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// The numbered .sql files embedded in this assembly, applied in order, each in its own transaction with its row in
/// <c>schema_version</c>. A file of a newer schema than this build knows is refused, never downgraded.
/// </summary>
internal static class SchemaMigrations
{
    private const string ResourcePrefix = "Gateway.SessionStore.Schema.Migrations.";

    public static IReadOnlyList<Migration> All { get; } = Load();

    public static int CurrentVersion => All[^1].Version;

    /// <summary>Brings the database to the newest of <paramref name="migrations"/>; returns the version it found.</summary>
    public static int Upgrade(SqliteConnection connection, string tenantId, IReadOnlyList<Migration> migrations)
    {
        Sql.Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        var found = Found(connection);
        var target = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (found > target)
        {
            throw new TenantStoreVersionException(tenantId, found, target);
        }

        foreach (var migration in migrations.Where(m => m.Version > found).OrderBy(m => m.Version))
        {
            Sql.Execute(connection, "BEGIN IMMEDIATE");
            try
            {
                Sql.Execute(connection, migration.Sql);
                Sql.Execute(
                    connection,
                    "INSERT INTO schema_version (version, name, applied_at) VALUES ($v, $n, $at)",
                    ("$v", migration.Version), ("$n", migration.Name), ("$at", DateTimeOffset.UtcNow.UtcTicks));
                Sql.Execute(connection, "COMMIT");
            }
            catch
            {
                Sql.Execute(connection, "ROLLBACK");
                throw;
            }
        }

        return found;
    }

    public static int Found(SqliteConnection connection) =>
        Convert.ToInt32(Sql.Scalar(connection, "SELECT coalesce(max(version), 0) FROM schema_version"), System.Globalization.CultureInfo.InvariantCulture);

    private static Migration[] Load()
    {
        var assembly = typeof(SchemaMigrations).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Read(assembly, name))
            .OrderBy(m => m.Version)];
    }

    private static Migration Read(Assembly assembly, string resource)
    {
        var file = resource[ResourcePrefix.Length..^".sql".Length];
        var separator = file.IndexOf('_', StringComparison.Ordinal);
        var version = int.Parse(file[..separator], System.Globalization.CultureInfo.InvariantCulture);
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, file[(separator + 1)..], reader.ReadToEnd());
    }
}
