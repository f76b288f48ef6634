using System.Net;
using System.Net.Sockets;

namespace Gateway.Outbound;

/// <summary>
/// The address ranges a caller's URL may not reach by default: the host itself, the networks behind it and the
/// cloud metadata service. IPv4 written inside IPv6 (mapped, compatible, NAT64) is judged as the IPv4 it carries.
/// </summary>
internal static class SpecialAddresses
{
    private static readonly IPNetwork[] RefusedV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),        // "this network", unspecified
        IPNetwork.Parse("10.0.0.0/8"),       // RFC 1918
        IPNetwork.Parse("100.64.0.0/10"),    // CGNAT
        IPNetwork.Parse("127.0.0.0/8"),      // loopback
        IPNetwork.Parse("169.254.0.0/16"),   // link-local, cloud metadata (169.254.169.254)
        IPNetwork.Parse("172.16.0.0/12"),    // RFC 1918
        IPNetwork.Parse("192.0.0.0/24"),     // IETF protocol assignments
        IPNetwork.Parse("192.168.0.0/16"),   // RFC 1918
        IPNetwork.Parse("198.18.0.0/15"),    // benchmarking networks
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved, broadcast
    ];

    private static readonly IPNetwork[] RefusedV6 =
    [
        IPNetwork.Parse("::/128"),           // unspecified
        IPNetwork.Parse("::1/128"),          // loopback
        IPNetwork.Parse("fc00::/7"),         // unique-local (AWS metadata is fd00:ec2::254)
        IPNetwork.Parse("fe80::/10"),        // link-local
        IPNetwork.Parse("fec0::/10"),        // site-local (deprecated, still routed by some stacks)
        IPNetwork.Parse("ff00::/8"),         // multicast
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>The address as it will be judged and matched: IPv4 carried in IPv6 becomes that IPv4.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var embedsV4 = Nat64.Contains(address)
            || (bytes[..12].IndexOfAnyExcept((byte)0) < 0 && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback)); // ::a.b.c.d
        return embedsV4 ? new IPAddress(bytes[12..]) : new IPAddress(bytes, address.ScopeId);
    }

    /// <summary>True for loopback, private, link-local, CGNAT, multicast, unspecified and reserved addresses.</summary>
    public static bool IsRefused(IPAddress address)
    {
        var normalized = Normalize(address);
        var ranges = normalized.AddressFamily == AddressFamily.InterNetwork ? RefusedV4 : RefusedV6;
        foreach (var range in ranges)
        {
            if (range.Contains(normalized))
            {
                return true;
            }
        }

        return false;
    }
}
