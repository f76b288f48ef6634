using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Transport;

namespace Gateway.WebProtocol.Client;

public sealed partial class WaClient
{
    /// <summary>Sends one stanza on the current connection.</summary>
    private static async Task SendNodeAsync(LiveConnection connection, Node node, CancellationToken cancellationToken)
    {
        if (connection.HasEnded)
        {
            throw new ConnectionException(ConnectionFaultKind.Closed, "the connection has ended", isTransient: true);
        }

        await connection.Socket.SendFrameAsync(NodeFrame.Encode(node), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends an iq built around a fresh id and waits for its answer.</summary>
    /// <exception cref="IqException">The answer carries an &lt;error&gt; child.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="WaClientOptions.RequestTimeout"/>.</exception>
    private Task<Node> QueryAsync(Func<string, Node> build, CancellationToken cancellationToken) =>
        QueryAsync(live ?? throw new ConnectionException(ConnectionFaultKind.Closed, "not connected", isTransient: true), build, cancellationToken);

    private async Task<Node> QueryAsync(LiveConnection connection, Func<string, Node> build, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var id = connection.Iqs.NextId();
        var answer = connection.Iqs.Register(id);
        try
        {
            await SendNodeAsync(connection, build(id), cancellationToken).ConfigureAwait(false);
            var node = await answer.WaitAsync(timeout ?? options.RequestTimeout, Time, cancellationToken).ConfigureAwait(false);
            if (Stanza.ErrorOf(node) is { } error)
            {
                throw new IqException((int)(error.GetInt64Attribute("code") ?? 0), error.GetAttribute("text"));
            }

            return node;
        }
        finally
        {
            connection.Iqs.Forget(id);
        }
    }

    /// <summary>Acks a receipt, notification or call as WhatsApp Web does: id, to=from, class=tag, participant and type echoed.</summary>
    private static Task SendAckAsync(LiveConnection connection, Node node, CancellationToken cancellationToken, string? error = null)
    {
        var attributes = Stanza.Attrs(
            ("id", node.GetAttribute("id")),
            ("to", node.GetAttribute("from")),
            ("class", node.Tag),
            ("participant", node.GetAttribute("participant")),
            ("recipient", node.GetAttribute("recipient")),
            ("type", node.GetAttribute("type")),
            ("error", error));
        return SendNodeAsync(connection, new Node("ack", attributes), cancellationToken);
    }
}
