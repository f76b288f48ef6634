namespace Gateway.WebProtocol.Client.Stores;

/// <summary>
/// One learned pairing of a LID user with a phone-number user, both as bare user parts without device or server
/// (for example "123456789012345" and "4915123456789").
/// </summary>
public sealed record LidPnMapping(string LidUser, string PnUser);
