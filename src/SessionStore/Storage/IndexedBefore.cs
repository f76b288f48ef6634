using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// The predicate "this indexed key holds an instant before the cutoff", for keys that are UTC ticks where they apply
/// and null elsewhere (schema v5's retention indexes). Written as a BETWEEN range so LiteDB walks just that stretch
/// of the index: a plain "&lt; cutoff" would also match every null key, which sorts below all numbers. The key
/// text must be the index's expression exactly, since LiteDB picks an index by comparing expression texts. Parsed
/// once per thread and handed out with its parameter set, as <see cref="FieldEquals"/> is.
/// </summary>
internal sealed class IndexedBefore
{
    private readonly ThreadLocal<BsonExpression> _perThread;

    public IndexedBefore(string keyExpression)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyExpression);
        var text = $"{keyExpression} BETWEEN 1 AND @0";
        _perThread = new ThreadLocal<BsonExpression>(() => BsonExpression.Create(text, BsonValue.Null));
    }

    /// <summary>Keys strictly before <paramref name="cutoff"/>; nothing at all for <see cref="DateTimeOffset.MinValue"/>.</summary>
    public BsonExpression For(DateTimeOffset cutoff)
    {
        var expression = _perThread.Value!;
        expression.Parameters["0"] = new BsonValue(cutoff.UtcTicks - 1);
        return expression;
    }
}
