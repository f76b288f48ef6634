using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;
using LiteDB;

namespace Gateway.SessionStore.LiteStores;

internal sealed class LitePreKeyStore(IStoreSessionSource source) : IPreKeyStore
{
    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken) =>
        new(source.ReadAsync(session => session.Get(Collections.PreKeys, (long)preKeyId) is { } d
            ? new PreKeyRecord((uint)d["_id"].AsInt64, new KeyPair(d["pub"].AsBinary, d["priv"].AsBinary))
            : null, cancellationToken));

    public ValueTask StorePreKeysAsync(IReadOnlyCollection<PreKeyRecord> preKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preKeys);
        var docs = preKeys.Select(p => new BsonDocument
        {
            ["_id"] = (long)p.Id,
            ["pub"] = Bson.Bytes(p.KeyPair.PublicKey),
            ["priv"] = Bson.Bytes(p.KeyPair.PrivateKey),
        }).ToList();
        return new(source.WriteAsync(session =>
        {
            docs.ForEach(doc => session.Upsert(Collections.PreKeys, doc));
            return true;
        }, cancellationToken));
    }

    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken) =>
        new(source.WriteAsync(session =>
        {
            session.Delete(Collections.PreKeys, (long)preKeyId);
            return true;
        }, cancellationToken));
}

internal sealed class LiteSignedPreKeyStore(IStoreSessionSource source) : ISignedPreKeyStore
{
    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken) =>
        new(source.ReadAsync(session => session.Get(Collections.SignedPreKeys, (long)signedPreKeyId) is { } d ? FromDocument(d) : null, cancellationToken));

    public ValueTask<IReadOnlyList<SignedPreKeyRecord>> LoadSignedPreKeysAsync(CancellationToken cancellationToken) =>
        new(source.ReadAsync<IReadOnlyList<SignedPreKeyRecord>>(
            session => session.Find(Collections.SignedPreKeys, null, int.MaxValue).Select(FromDocument).ToList(),
            cancellationToken));

    public ValueTask StoreSignedPreKeyAsync(SignedPreKeyRecord signedPreKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signedPreKey);
        var doc = new BsonDocument
        {
            ["_id"] = (long)signedPreKey.Id,
            ["pub"] = Bson.Bytes(signedPreKey.KeyPair.PublicKey),
            ["priv"] = Bson.Bytes(signedPreKey.KeyPair.PrivateKey),
            ["sig"] = Bson.Bytes(signedPreKey.Signature),
            ["ts"] = signedPreKey.TimestampMilliseconds,
        };
        return new(source.WriteAsync(session =>
        {
            session.Upsert(Collections.SignedPreKeys, doc);
            return true;
        }, cancellationToken));
    }

    public ValueTask RemoveSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken) =>
        new(source.WriteAsync(session =>
        {
            session.Delete(Collections.SignedPreKeys, (long)signedPreKeyId);
            return true;
        }, cancellationToken));

    private static SignedPreKeyRecord FromDocument(BsonDocument d) => new(
        (uint)d["_id"].AsInt64,
        new KeyPair(d["pub"].AsBinary, d["priv"].AsBinary),
        d["sig"].AsBinary,
        d["ts"].AsInt64);
}
