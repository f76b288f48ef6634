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
        var lastPing = Time.GetTimestamp();
        var token = connection.Stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var sinceFrame = connection.SinceLastFrame;
                if (sinceFrame > limit)
                {
                    log.LogWarning("no frame for {Elapsed}; the connection is dead", sinceFrame);
                    await EndAsync(connection, new DisconnectReason(DisconnectKind.KeepAliveTimeout, 408)).ConfigureAwait(false);
                    return;
                }

                var sincePing = Time.GetElapsedTime(lastPing);
                if (sincePing >= interval)
                {
                    lastPing = Time.GetTimestamp();
                    sincePing = TimeSpan.Zero;
                    _ = PingAsync(connection, limit, token);
                }

                // Wake for whichever comes first: the next ping, or the moment the silence passes the limit. A
                // fixed tick would stretch the ping period to a multiple of the tick and eat into the grace.
                var untilPing = interval - sincePing;
                var untilDead = limit - sinceFrame + MinimumKeepAliveWait;
                await Task.Delay(Max(untilPing < untilDead ? untilPing : untilDead, MinimumKeepAliveWait), Time, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private static readonly TimeSpan MinimumKeepAliveWait = TimeSpan.FromMilliseconds(1);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

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
