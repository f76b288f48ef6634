using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using Gateway.WebProtocol.Client.Stores;
using LiteDB;

namespace Gateway.SessionStore.LiteStores;

/// <summary>One document per LID user (<c>_id</c>) with its PN user in an indexed field.</summary>
internal sealed class LiteLidMapStore(IStoreSessionSource source) : ILidMapStore
{
    private static readonly FieldEquals Pn = new("pn");

    public Task StoreMappingsAsync(IReadOnlyCollection<LidPnMapping> mappings, CancellationToken cancellationToken)
    {
        LidMapRules.Validate(mappings);
        return source.WriteAsync(session =>
        {
            foreach (var mapping in mappings)
            {
                // Keep the map one-to-one: a PN that moves to a new LID leaves its old LID unmapped.
                foreach (var stale in session.Find(Collections.LidMap, ByPn(mapping.PnUser), int.MaxValue))
                {
                    if (stale["_id"].AsString != mapping.LidUser)
                    {
                        session.Delete(Collections.LidMap, stale["_id"]);
                    }
                }
                session.Upsert(Collections.LidMap, new BsonDocument { ["_id"] = mapping.LidUser, ["pn"] = mapping.PnUser });
            }
            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>> GetLidsForPnsAsync(IReadOnlyCollection<string> pnUsers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pnUsers);
        return source.ReadAsync<IReadOnlyDictionary<string, string>>(session =>
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pn in pnUsers.Distinct(StringComparer.Ordinal))
            {
                if (session.Find(Collections.LidMap, ByPn(pn), 1) is [var doc])
                {
                    result[pn] = doc["_id"].AsString;
                }
            }
            return result;
        }, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>> GetPnsForLidsAsync(IReadOnlyCollection<string> lidUsers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lidUsers);
        return source.ReadAsync<IReadOnlyDictionary<string, string>>(session =>
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var lid in lidUsers.Distinct(StringComparer.Ordinal))
            {
                if (session.Get(Collections.LidMap, lid) is { } doc)
                {
                    result[lid] = doc["pn"].AsString;
                }
            }
            return result;
        }, cancellationToken);
    }

    private static BsonExpression ByPn(string pn) => Pn.For(pn);
}
