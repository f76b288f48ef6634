using Gateway.WebProtocol.Client.Stores;

namespace Gateway.SessionStore.Sqlite;

/// <summary>One row per LID user with its PN user, unique both ways.</summary>
internal sealed class SqliteLidMapStore(StoreAccess access) : ILidMapStore
{
    public Task StoreMappingsAsync(IReadOnlyCollection<LidPnMapping> mappings, CancellationToken cancellationToken)
    {
        LidMapRules.Validate(mappings);
        return access.WriteAsync(connection =>
        {
            foreach (var mapping in mappings)
            {
                // Keep the map one-to-one: a PN that moves to a new LID leaves its old LID unmapped.
                connection.Execute("DELETE FROM lid_map WHERE pn = $pn AND lid <> $lid", ("$pn", mapping.PnUser), ("$lid", mapping.LidUser));
                connection.Execute(
                    "INSERT INTO lid_map (lid, pn) VALUES ($lid, $pn) ON CONFLICT (lid) DO UPDATE SET pn = excluded.pn",
                    ("$lid", mapping.LidUser), ("$pn", mapping.PnUser));
            }

            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>> GetLidsForPnsAsync(IReadOnlyCollection<string> pnUsers, CancellationToken cancellationToken) =>
        Lookup(pnUsers, "SELECT lid FROM lid_map WHERE pn = $u", cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetPnsForLidsAsync(IReadOnlyCollection<string> lidUsers, CancellationToken cancellationToken) =>
        Lookup(lidUsers, "SELECT pn FROM lid_map WHERE lid = $u", cancellationToken);

    private Task<IReadOnlyDictionary<string, string>> Lookup(IReadOnlyCollection<string> users, string sql, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        return access.ReadAsync<IReadOnlyDictionary<string, string>>(connection =>
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var user in users.Distinct(StringComparer.Ordinal))
            {
                if (connection.Scalar(sql, ("$u", user)) is string partner)
                {
                    result[user] = partner;
                }
            }

            return result;
        }, cancellationToken);
    }
}
