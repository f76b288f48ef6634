using Microsoft.Data.Sqlite;

namespace Gateway.SessionStore.Sqlite;

/// <summary>
/// One SQLite connection of a tenant with its prepared statements kept for reuse (a statement is compiled once per
/// connection, not per call). Not thread-safe: its owner serialises the use.
/// </summary>
internal sealed class TenantConnection : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> statements = new(StringComparer.Ordinal);

    private TenantConnection(SqliteConnection connection)
    {
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    /// <summary>Rows changed through this connection since it opened (SQLite's total_changes).</summary>
    public long TotalChanges => SQLitePCL.raw.sqlite3_total_changes(Connection.Handle);

    /// <summary>Whether a transaction is open on the connection (SQLite's autocommit mode is off).</summary>
    public bool InTransaction => SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0;

    /// <summary>Opens the file with the pragmas every connection of a tenant uses.</summary>
    public static TenantConnection Open(string path, FsyncPolicy fsync)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // a closed connection gives its memory back instead of waiting in a pool
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            // WAL: a commit is in the OS's hands when it returns, so a killed process loses nothing committed;
            // synchronous decides what a power cut may take back (NORMAL: the last moments, never consistency).
            Sql.Execute(connection, "PRAGMA journal_mode = WAL");
            Sql.Execute(connection, fsync.IsAlways ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            Sql.Execute(connection, "PRAGMA cache_size = -256"); // KiB: a tenant's working set is small
            Sql.Execute(connection, "PRAGMA busy_timeout = 5000");
            Sql.Execute(connection, "PRAGMA temp_store = MEMORY");
            return new TenantConnection(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public int Execute(string sql, params (string Name, object? Value)[] args) => Prepare(sql, args).ExecuteNonQuery();

    public object? Scalar(string sql, params (string Name, object? Value)[] args)
    {
        var value = Prepare(sql, args).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] args)
    {
        using var reader = Prepare(sql, args).ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public T? Single<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] args)
        where T : class
    {
        using var reader = Prepare(sql, args).ExecuteReader();
        return reader.Read() ? map(reader) : null;
    }

    public void Dispose()
    {
        foreach (var statement in statements.Values)
        {
            statement.Dispose();
        }

        statements.Clear();
        Connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, (string Name, object? Value)[] args)
    {
        if (!statements.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in args)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            statements[sql] = command;
        }

        for (var i = 0; i < args.Length; i++)
        {
            command.Parameters[i].Value = args[i].Value ?? DBNull.Value;
        }

        return command;
    }
}
