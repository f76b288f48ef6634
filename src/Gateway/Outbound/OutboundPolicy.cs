using System.Net;
using System.Net.Sockets;

namespace Gateway.Outbound;

/// <summary>
/// Which addresses a URL supplied by a caller (send mediaUrl, a webhook set through the API) may reach. Public
/// addresses always; the special ranges of <see cref="SpecialAddresses"/> only where the operator allows them with
/// GATEWAY_ALLOW_PRIVATE_TARGETS: "true" for all, or comma-separated CIDRs.
/// </summary>
public sealed class OutboundPolicy
{
    public const string EnvironmentVariable = "GATEWAY_ALLOW_PRIVATE_TARGETS";

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    private readonly bool allowAll;
    private readonly IPNetwork[] allowed;

    private OutboundPolicy(bool allowAll, IPNetwork[] allowed)
    {
        this.allowAll = allowAll;
        this.allowed = allowed;
    }

    /// <summary>The default: no special address allowed.</summary>
    public static OutboundPolicy Strict { get; } = new(false, []);

    /// <summary>Every address allowed, for the operator's own targets.</summary>
    public static OutboundPolicy Unrestricted { get; } = new(true, []);

    /// <summary>Reads the variable's value; an entry that is not a CIDR or address is a configuration error.</summary>
    public static OutboundPolicy Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Strict;
        }

        if (bool.TryParse(value.Trim(), out var all))
        {
            return all ? Unrestricted : Strict;
        }

        var networks = new List<IPNetwork>();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var single))
            {
                networks.Add(new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new FormatException($"{EnvironmentVariable}: '{entry}' is neither 'true' nor a CIDR such as 10.0.0.0/8.");
            }
        }

        return new OutboundPolicy(false, [.. networks]);
    }

    public bool Allows(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (allowAll || !SpecialAddresses.IsRefused(address))
        {
            return true;
        }

        var normalized = SpecialAddresses.Normalize(address);
        foreach (var network in allowed)
        {
            if (network.Contains(normalized) || network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> this policy lets a connection reach, in the resolver's order.
    /// Throws <see cref="TargetNotAllowedException"/> when it resolves only to refused ones.
    /// </summary>
    public async Task<IPAddress[]> ResolveAllowedAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var addresses = IPAddress.TryParse(bare, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(bare, cancellationToken).ConfigureAwait(false);
        var permitted = Array.FindAll(addresses, Allows);
        return permitted.Length > 0 ? permitted : throw new TargetNotAllowedException(host);
    }

    /// <summary>
    /// The check at the API: refuses a URL that is not http(s) or whose host resolves only to refused addresses.
    /// A host that does not resolve now passes; the connection is checked again when it is made.
    /// </summary>
    public async Task<bool> PermitsAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            return false;
        }

        if (allowAll)
        {
            return true;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ResolveTimeout);
        try
        {
            await ResolveAllowedAsync(url.IdnHost, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (TargetNotAllowedException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }
}
