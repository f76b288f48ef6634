namespace Gateway.WebProtocol.Signal.Stores;

/// <summary>The stores a Signal session needs, handed around together.</summary>
public sealed record SignalStores(
    IIdentityKeyStore Identities,
    IPreKeyStore PreKeys,
    ISignedPreKeyStore SignedPreKeys,
    ISessionStore Sessions,
    ISenderKeyStore SenderKeys)
{
    /// <summary>In-memory stores for one local identity (tests, tools).</summary>
    public static SignalStores InMemory(KeyPair identityKeyPair, uint registrationId) => new(
        new InMemoryIdentityKeyStore(identityKeyPair, registrationId),
        new InMemoryPreKeyStore(),
        new InMemorySignedPreKeyStore(),
        new InMemorySessionStore(),
        new InMemorySenderKeyStore());
}
