using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.SessionStore.LiteStores;

/// <summary>The five Signal stores over one session source.</summary>
internal static class LiteSignalStores
{
    public static SignalStores Create(IStoreSessionSource source) => new(
        new LiteIdentityKeyStore(source),
        new LitePreKeyStore(source),
        new LiteSignedPreKeyStore(source),
        new LiteSessionStore(source),
        new LiteSenderKeyStore(source));
}
