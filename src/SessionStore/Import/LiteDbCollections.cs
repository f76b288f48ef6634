namespace Gateway.SessionStore.Import;

/// <summary>Collection names in a tenant file of the LiteDB version (schema versions 1 to 5).</summary>
internal static class LiteDbCollections
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

    /// <summary>The highest schema version the LiteDB version wrote; a newer file is not one it made.</summary>
    public const int LastVersion = 5;
}
