using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Transport;
using Microsoft.Extensions.Logging;

namespace Gateway.WebProtocol.Client;

public sealed partial class WaClient
{
    /// <summary>
    /// Pings every interval; any frame counts as life. With nothing at all for interval + grace the socket is
    /// dead even if it looks open (a half-open TCP connection), so the connection ends as KeepAliveTimeout.
    /// </summary>
    private async Task KeepAliveLoopAsync(LiveConnection connection)
    {
        var interval = options.KeepAliveInterval;
        var limit = interval + options.KeepAliveGrace;
        var tick = interval < options.KeepAliveGrace ? interval : options.KeepAliveGrace;
        var sincePing = TimeSpan.Zero;
        var token = connection.Stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(tick, Time, token).ConfigureAwait(false);
                sincePing += tick;
                if (connection.SinceLastFrame > limit)
                {
                    log.LogWarning("no frame for {Elapsed}; the connection is dead", connection.SinceLastFrame);
                    await EndAsync(connection, new DisconnectReason(DisconnectKind.KeepAliveTimeout, 408)).ConfigureAwait(false);
                    return;
                }

                if (sincePing >= interval)
                {
                    sincePing = TimeSpan.Zero;
                    _ = PingAsync(connection, limit, token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task PingAsync(LiveConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await QueryAsync(
                connection,
                id => Stanza.Make("iq", Stanza.Attrs(("id", id), ("to", Stanza.Server), ("type", "get"), ("xmlns", "w:p")), Stanza.Make("ping")),
                cancellationToken,
                timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or IqException or ConnectionException or OperationCanceledException)
        {
            // Liveness is judged by frames arriving, not by this answer.
        }
    }
}
