using System.Net.Sockets;

namespace Gateway.Outbound;

/// <summary>
/// The HTTP handler for connections to a caller's URL: the policy is applied when each connection is made, on
/// the addresses actually connected to, so a host that resolves differently later (DNS rebinding) and every
/// redirect hop are checked as well. No proxy: a proxy would resolve the host itself, out of the policy's sight.
/// </summary>
public static class GuardedHttpHandler
{
    public const int MaxRedirects = 3;

    public static SocketsHttpHandler Create(OutboundPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = MaxRedirects,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var endpoint = context.DnsEndPoint;
                var addresses = await policy.ResolveAllowedAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    /// <summary>True when a failed request was refused by the policy rather than by the network.</summary>
    public static bool IsRefusal(Exception error, out TargetNotAllowedException? refusal)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is TargetNotAllowedException found)
            {
                refusal = found;
                return true;
            }
        }

        refusal = null;
        return false;
    }
}
