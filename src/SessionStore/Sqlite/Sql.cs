using Microsoft.Data.Sqlite;

namespace Gateway.SessionStore.Sqlite;

/// <summary>Uncached statements, for the few that run once per open (pragmas, migrations, checks).</summary>
internal static class Sql
{
    public static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] args)
    {
        using var command = Create(connection, sql, args);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql, params (string Name, object? Value)[] args)
    {
        using var command = Create(connection, sql, args);
        return command.ExecuteScalar();
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, (string Name, object? Value)[] args)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in args)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
