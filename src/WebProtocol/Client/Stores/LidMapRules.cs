namespace Gateway.WebProtocol.Client.Stores;

/// <summary>Argument checks shared by every <see cref="ILidMapStore"/> implementation.</summary>
public static class LidMapRules
{
    public static void Validate(IReadOnlyCollection<LidPnMapping> mappings)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        foreach (var mapping in mappings)
        {
            ArgumentNullException.ThrowIfNull(mapping, nameof(mappings));
            if (!IsBareUser(mapping.LidUser) || !IsBareUser(mapping.PnUser))
            {
                throw new ArgumentException("A mapping holds bare user parts: no '@', ':' or empty values.", nameof(mappings));
            }
        }
    }

    private static bool IsBareUser(string? user) =>
        !string.IsNullOrEmpty(user) && user.IndexOfAny(['@', ':']) < 0;
}
