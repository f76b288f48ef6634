namespace Gateway.SessionStore.Schema;

/// <summary>Collection names in a tenant file. Renaming one is a migration, never an edit here.</summary>
internal static class Collections
{
    public const string Meta = "meta";
    public const string Credentials = "creds";
    public const string LidMap = "lidmap";
    public const string DeviceLists = "devicelists";
    public const string Messages = "messages";
    public const string Outbox = "outbox";
    public const string DeliveryLog = "deliverylog";
    public const string Identities = "identities";
    public const string PreKeys = "prekeys";
    public const string SignedPreKeys = "signedprekeys";
    public const string Sessions = "sessions";
    public const string SenderKeys = "senderkeys";
}
