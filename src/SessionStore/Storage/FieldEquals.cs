using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// The predicate <c>$.field = @0</c>, parsed once per thread instead of once per query: LiteDB's
/// BsonExpression.Create tokenizes and parses its text on every call (only the compiled delegate is cached), which
/// showed up as a few percent of the gateway's CPU. An expression carries its parameter, so one instance cannot
/// serve two threads at once: each thread keeps its own, and <see cref="For"/> hands it out with the value set.
/// Call it inside the synchronous store operation and finish the query before the next call on the same thread
/// (every <see cref="IStoreSession.Find"/> materializes its result, so a query never outlives its call).
/// </summary>
internal sealed class FieldEquals
{
    private readonly ThreadLocal<BsonExpression> _perThread;

    public FieldEquals(string field)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        var text = $"$.{field} = @0";
        _perThread = new ThreadLocal<BsonExpression>(() => BsonExpression.Create(text, BsonValue.Null));
    }

    public BsonExpression For(BsonValue value)
    {
        var expression = _perThread.Value!;
        expression.Parameters["0"] = value;
        return expression;
    }
}
