namespace Gateway.Emulator.Admin;

/// <summary>What the admin API reports about one linked device.</summary>
public sealed record DeviceStatus(
    string Jid,
    string Lid,
    bool Connected,
    bool Removed,
    int PendingStanzas,
    int PreKeysOnServer,
    IReadOnlyDictionary<string, long> Sent);
