namespace Gateway.WebProtocol.Types;

/// <summary>The servers (the part after '@') a JID can have.</summary>
public static class JidServer
{
    public const string User = "s.whatsapp.net";
    public const string LegacyUser = "c.us";
    public const string Group = "g.us";
    public const string Broadcast = "broadcast";
    public const string Lid = "lid";
    public const string Newsletter = "newsletter";
    public const string Hosted = "hosted";
    public const string HostedLid = "hosted.lid";
    public const string Bot = "bot";
    public const string Messenger = "msgr";
    public const string Interop = "interop";

    /// <summary>The canonical instance of a known server name (c.us maps to s.whatsapp.net), or null.</summary>
    internal static string? Canonicalize(ReadOnlySpan<char> server) => server switch
    {
        User or LegacyUser => User,
        Group => Group,
        Broadcast => Broadcast,
        Lid => Lid,
        Newsletter => Newsletter,
        Hosted => Hosted,
        HostedLid => HostedLid,
        Bot => Bot,
        Messenger => Messenger,
        Interop => Interop,
        _ => null,
    };

    /// <summary>The AD_JID domain type of a server: 1 lid, 128 hosted, 129 hosted.lid, else 0.</summary>
    public static byte DomainTypeOf(string server) => server switch
    {
        Lid => 1,
        Hosted => 128,
        HostedLid => 129,
        _ => 0,
    };
}
