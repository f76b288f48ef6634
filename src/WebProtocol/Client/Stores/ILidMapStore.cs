namespace Gateway.WebProtocol.Client.Stores;

/// <summary>
/// LID &lt;-&gt; phone-number mappings learned from success, pair-success, usync and message attributes.
/// A user has at most one partner on the other side; storing a mapping replaces older ones for both users.
/// </summary>
public interface ILidMapStore
{
    Task StoreMappingsAsync(IReadOnlyCollection<LidPnMapping> mappings, CancellationToken cancellationToken);

    /// <summary>LID users for the given PN users; users without a known LID are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, string>> GetLidsForPnsAsync(IReadOnlyCollection<string> pnUsers, CancellationToken cancellationToken);

    /// <summary>PN users for the given LID users; users without a known PN are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, string>> GetPnsForLidsAsync(IReadOnlyCollection<string> lidUsers, CancellationToken cancellationToken);
}
