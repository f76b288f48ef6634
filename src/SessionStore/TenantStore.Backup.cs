using Gateway.SessionStore.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gateway.SessionStore;

/// <summary>Backups: SQLite's online backup of the committed state into one file.</summary>
public sealed partial class TenantStore
{
    internal async Task ExportAsync(string destinationPath, CancellationToken cancellationToken)
    {
        EnsureUsableForWrite();
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var staging = destinationPath + ".partial";
            File.Delete(staging);
            using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = staging, Pooling = false }.ToString()))
            {
                target.Open();
                Writer().Connection.BackupDatabase(target);
                // One self-contained file: the copy keeps no log of its own.
                Sql.Execute(target, "PRAGMA journal_mode = DELETE");
            }

            File.Move(staging, destinationPath, overwrite: true);
        }
        finally
        {
            Touch();
            writeGate.Release();
        }
    }
}
