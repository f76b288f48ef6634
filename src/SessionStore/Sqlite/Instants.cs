namespace Gateway.SessionStore.Sqlite;

/// <summary>Instants are stored as UTC ticks: exact, ordered, and comparable in SQL.</summary>
internal static class Instants
{
    public static long Of(DateTimeOffset value) => value.UtcTicks;

    public static long? Of(DateTimeOffset? value) => value?.UtcTicks;

    public static DateTimeOffset From(long ticks) => new(ticks, TimeSpan.Zero);
}
