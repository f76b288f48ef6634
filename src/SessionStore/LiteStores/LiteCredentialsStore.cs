using Gateway.SessionStore.Schema;
using Gateway.SessionStore.Storage;
using Gateway.WebProtocol.Client.Stores;
using LiteDB;

namespace Gateway.SessionStore.LiteStores;

internal sealed class LiteCredentialsStore(IStoreSessionSource source) : ICredentialsStore
{
    // A tenant has one linked device, so one document.
    private static readonly BsonValue DeviceId = "device";

    public Task<DeviceCredentials?> LoadAsync(CancellationToken cancellationToken) =>
        source.ReadAsync(session => session.Get(Collections.Credentials, DeviceId) is { } doc ? FromDocument(doc) : null, cancellationToken);

    public Task SaveAsync(DeviceCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var doc = ToDocument(credentials);
        return source.WriteAsync(session =>
        {
            session.Upsert(Collections.Credentials, doc);
            return true;
        }, cancellationToken);
    }

    public Task<bool> DeleteAsync(CancellationToken cancellationToken) =>
        source.WriteAsync(session =>
        {
            var had = session.Get(Collections.Credentials, DeviceId) is not null;
            session.Delete(Collections.Credentials, DeviceId);
            return had;
        }, cancellationToken);

    private static BsonDocument ToDocument(DeviceCredentials c) => new()
    {
        ["_id"] = DeviceId,
        ["noisePriv"] = Bson.Bytes(c.NoisePrivateKey),
        ["noisePub"] = Bson.Bytes(c.NoisePublicKey),
        ["identityPriv"] = Bson.Bytes(c.IdentityPrivateKey),
        ["identityPub"] = Bson.Bytes(c.IdentityPublicKey),
        ["regId"] = c.RegistrationId,
        ["spkId"] = c.SignedPreKeyId,
        ["spkPriv"] = Bson.Bytes(c.SignedPreKeyPrivate),
        ["spkPub"] = Bson.Bytes(c.SignedPreKeyPublic),
        ["spkSig"] = Bson.Bytes(c.SignedPreKeySignature),
        ["advSecret"] = Bson.Bytes(c.AdvSecretKey),
        ["account"] = Bson.Bytes(c.AccountIdentity),
        ["mePn"] = Bson.Text(c.MePn),
        ["meLid"] = Bson.Text(c.MeLid),
        ["platform"] = Bson.Text(c.Platform),
        ["pushName"] = Bson.Text(c.PushName),
        ["nextPreKeyId"] = c.NextPreKeyId,
        ["firstUnuploadedPreKeyId"] = c.FirstUnuploadedPreKeyId,
        ["routing"] = Bson.Bytes(c.RoutingInfo),
        ["registered"] = c.Registered,
    };

    private static DeviceCredentials FromDocument(BsonDocument d) => new()
    {
        NoisePrivateKey = d["noisePriv"].AsBinary,
        NoisePublicKey = d["noisePub"].AsBinary,
        IdentityPrivateKey = d["identityPriv"].AsBinary,
        IdentityPublicKey = d["identityPub"].AsBinary,
        RegistrationId = d["regId"].AsInt32,
        SignedPreKeyId = d["spkId"].AsInt32,
        SignedPreKeyPrivate = d["spkPriv"].AsBinary,
        SignedPreKeyPublic = d["spkPub"].AsBinary,
        SignedPreKeySignature = d["spkSig"].AsBinary,
        AdvSecretKey = d["advSecret"].AsBinary,
        AccountIdentity = Bson.ReadBytes(d["account"]),
        MePn = Bson.ReadText(d["mePn"]),
        MeLid = Bson.ReadText(d["meLid"]),
        Platform = Bson.ReadText(d["platform"]),
        PushName = Bson.ReadText(d["pushName"]),
        NextPreKeyId = d["nextPreKeyId"].AsInt32,
        FirstUnuploadedPreKeyId = d["firstUnuploadedPreKeyId"].AsInt32,
        RoutingInfo = Bson.ReadBytes(d["routing"]),
        Registered = d["registered"].AsBoolean,
    };
}
