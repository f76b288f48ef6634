using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// The predicate "this indexed number lies in [from, to]", written as a BETWEEN range so LiteDB walks just that
/// stretch of the index (documents without the field index as null, which sorts below every number, and are never
/// in range). Parsed once per thread and handed out with its parameters set, as <see cref="FieldEquals"/> is.
/// </summary>
internal sealed class IndexedRange
{
    private readonly ThreadLocal<BsonExpression> _perThread;

    public IndexedRange(string field)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        Order = "$." + field;
        var text = $"{Order} BETWEEN @0 AND @1";
        _perThread = new ThreadLocal<BsonExpression>(() => BsonExpression.Create(text, BsonValue.Null, BsonValue.Null));
    }

    /// <summary>The index's expression, to pass as the index order of a find.</summary>
    public string Order { get; }

    public BsonExpression For(long from, long to)
    {
        var expression = _perThread.Value!;
        expression.Parameters["0"] = new BsonValue(from);
        expression.Parameters["1"] = new BsonValue(to);
        return expression;
    }
}
