using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Media;

/// <summary>The media_conn answer: an upload auth token, its lifetime, and the hosts to use.</summary>
public sealed record MediaConnection(string Auth, IReadOnlyList<string> Hosts, DateTimeOffset ExpiresAt)
{
    /// <summary>Reads <c>&lt;media_conn auth ttl&gt;&lt;host hostname/&gt;...</c>.</summary>
    public static MediaConnection Parse(Node result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        var conn = result.GetChild("media_conn") ?? throw new WireFormatException("media_conn result is missing");
        var auth = conn.GetRequiredAttribute("auth");
        var ttl = conn.GetInt64Attribute("ttl") ?? 60;
        var hosts = conn.GetChildren("host").Select(host => host.GetAttribute("hostname")).OfType<string>().ToArray();
        if (hosts.Length == 0)
        {
            throw new WireFormatException("media_conn names no host");
        }

        return new MediaConnection(auth, hosts, now.AddSeconds(Math.Clamp(ttl, 1, 86_400)));
    }
}
