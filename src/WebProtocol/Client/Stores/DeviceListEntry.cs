namespace Gateway.WebProtocol.Client.Stores;

/// <summary>
/// A cached usync device list: the device ids a user (bare JID such as "N@s.whatsapp.net" or "L@lid") had when
/// it was fetched. Callers decide how old is too old from <see cref="FetchedAt"/>.
/// </summary>
public sealed record DeviceListEntry(string User, IReadOnlyList<int> DeviceIds, DateTimeOffset FetchedAt);
