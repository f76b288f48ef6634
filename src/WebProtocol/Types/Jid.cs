using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gateway.WebProtocol.Types;

/// <summary>
/// A WhatsApp address <c>user[_agent][:device]@server</c>, as Baileys writes it. The legacy server c.us is
/// normalised to s.whatsapp.net; <c>@s.whatsapp.net</c> (empty user) is the server itself.
/// </summary>
public readonly struct Jid : IEquatable<Jid>
{
    private const int MaxLength = 256;

    private readonly string? user;
    private readonly string? server;

    public Jid(string user, string server, ushort device = 0, byte agent = 0)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(server);
        this.user = user;
        this.server = JidServer.Canonicalize(server) ?? throw new ArgumentException($"unknown JID server '{server}'", nameof(server));
        Device = device;
        Agent = agent;
    }

    /// <summary>The server JID <c>@s.whatsapp.net</c>.</summary>
    public static Jid ServerJid { get; } = new("", JidServer.User);

    /// <summary><c>status@broadcast</c>.</summary>
    public static Jid StatusBroadcast { get; } = new("status", JidServer.Broadcast);

    public string User => user ?? "";

    public string Server => server ?? "";

    /// <summary>The device number (0 is the primary device and is not written).</summary>
    public ushort Device { get; }

    /// <summary>The raw agent after '_' (0 when absent).</summary>
    public byte Agent { get; }

    /// <summary>Domain type as the AD_JID tag and the Signal address use it: server-implied, else the agent.</summary>
    public byte DomainType
    {
        get
        {
            var fromServer = JidServer.DomainTypeOf(Server);
            return fromServer != 0 ? fromServer : Agent;
        }
    }

    public bool IsEmpty => server is null;

    public bool IsPn => Server == JidServer.User && User.Length != 0;

    public bool IsLid => Server == JidServer.Lid;

    public bool IsHostedPn => Server == JidServer.Hosted;

    public bool IsHostedLid => Server == JidServer.HostedLid;

    public bool IsGroup => Server == JidServer.Group;

    public bool IsBroadcast => Server == JidServer.Broadcast;

    public bool IsStatusBroadcast => IsBroadcast && User == "status";

    public bool IsNewsletter => Server == JidServer.Newsletter;

    public bool IsBot => Server == JidServer.Bot;

    /// <summary>True for a server address such as <c>@s.whatsapp.net</c> (no user).</summary>
    public bool IsServer => !IsEmpty && User.Length == 0;

    /// <summary>The user-level JID: device and agent dropped (Baileys' jidNormalizedUser).</summary>
    public Jid ToNonDevice() => new(User, Server);

    public Jid WithDevice(ushort device) => new(User, Server, device, Agent);

    /// <summary>
    /// The Signal protocol address <c>user.device</c>, with <c>_domainType</c> after the user when the domain is not
    /// plain WhatsApp (<c>user_1.device</c> for LID, 128/129 for hosted).
    /// </summary>
    public string ToSignalAddress()
    {
        if (User.Length == 0)
        {
            throw new InvalidOperationException("a server JID has no Signal address");
        }

        var domain = DomainType;
        return domain == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{User}.{Device}")
            : string.Create(CultureInfo.InvariantCulture, $"{User}_{domain}.{Device}");
    }

    public static Jid Parse(string value) =>
        TryParse(value, out var jid) ? jid : throw new FormatException("not a JID");

    /// <summary>Parses <c>user[_agent][:device]@server</c>; rejects unknown servers, bad numbers and stray characters.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out Jid jid)
    {
        jid = default;
        if (value is null || value.Length > MaxLength)
        {
            return false;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || value.IndexOf('@', at + 1) >= 0)
        {
            return false;
        }

        var server = JidServer.Canonicalize(value.AsSpan(at + 1));
        if (server is null)
        {
            return false;
        }

        var userPart = value.AsSpan(0, at);
        ushort device = 0;
        var colon = userPart.IndexOf(':');
        if (colon >= 0)
        {
            if (!TryParseNumber(userPart[(colon + 1)..], ushort.MaxValue, out var parsedDevice))
            {
                return false;
            }

            device = (ushort)parsedDevice;
            userPart = userPart[..colon];
        }

        byte agent = 0;
        var underscore = userPart.IndexOf('_');
        if (underscore >= 0)
        {
            if (!TryParseNumber(userPart[(underscore + 1)..], byte.MaxValue, out var parsedAgent))
            {
                return false;
            }

            agent = (byte)parsedAgent;
            userPart = userPart[..underscore];
        }

        if (!IsValidUser(userPart) || (userPart.Length == 0 && (colon >= 0 || underscore >= 0)))
        {
            return false;
        }

        jid = new Jid(userPart.ToString(), server, device, agent);
        return true;
    }

    public bool Equals(Jid other) =>
        string.Equals(User, other.User, StringComparison.Ordinal)
        && string.Equals(Server, other.Server, StringComparison.Ordinal)
        && Device == other.Device
        && Agent == other.Agent;

    public override bool Equals(object? obj) => obj is Jid other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(User, Server, Device, Agent);

    /// <summary>Baileys' jidEncode: agent and device only when non-zero.</summary>
    public override string ToString()
    {
        if (IsEmpty)
        {
            return "";
        }

        return (Agent, Device) switch
        {
            (0, 0) => string.Concat(User, "@", Server),
            (0, _) => string.Create(CultureInfo.InvariantCulture, $"{User}:{Device}@{Server}"),
            (_, 0) => string.Create(CultureInfo.InvariantCulture, $"{User}_{Agent}@{Server}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{User}_{Agent}:{Device}@{Server}"),
        };
    }

    public static bool operator ==(Jid left, Jid right) => left.Equals(right);

    public static bool operator !=(Jid left, Jid right) => !left.Equals(right);

    private static bool TryParseNumber(ReadOnlySpan<char> digits, int max, out int value)
    {
        value = 0;
        if (digits.Length is 0 or > 5)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return value <= max;
    }

    // Users are phone numbers, LIDs, group ids (legacy "creator-timestamp"), "status", interop "integrator-user".
    private static bool IsValidUser(ReadOnlySpan<char> user)
    {
        foreach (var c in user)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
