using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>Field conversions shared by the document mappers. Instants are stored as UTC ticks (exact round trip).</summary>
internal static class Bson
{
    public static BsonValue Instant(DateTimeOffset value) => new(value.UtcTicks);

    public static BsonValue Instant(DateTimeOffset? value) => value is { } v ? Instant(v) : BsonValue.Null;

    public static DateTimeOffset ReadInstant(BsonValue value) => new(value.AsInt64, TimeSpan.Zero);

    public static DateTimeOffset? ReadOptionalInstant(BsonValue value) => value.IsNull ? null : ReadInstant(value);

    public static BsonValue Text(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    public static string? ReadText(BsonValue value) => value.IsNull ? null : value.AsString;

    public static BsonValue Bytes(byte[]? value) => value is null ? BsonValue.Null : new BsonValue(value.ToArray());

    public static byte[]? ReadBytes(BsonValue value) => value.IsNull ? null : value.AsBinary;

    public static BsonValue OptionalInt(int? value) => value is { } v ? new BsonValue(v) : BsonValue.Null;

    public static int? ReadOptionalInt(BsonValue value) => value.IsNull ? null : value.AsInt32;
}
