using System.Threading.Channels;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client.Connection;
using Microsoft.Extensions.Logging;

namespace Gateway.WebProtocol.Client;

public sealed partial class WaClient
{
    /// <summary>At most this many waiting messages share one unit of work (one commit).</summary>
    internal const int MaxInboundBatch = 32;

    /// <summary>Nodes read from the connection and not yet handled (tests queue messages behind a busy unit of work).</summary>
    internal int QueuedInbound => live?.Inbound.Reader.Count ?? 0;

    /// <summary>
    /// The message nodes already queued right behind <paramref name="first"/>, up to <see cref="MaxInboundBatch"/>:
    /// never waits for more, and stops at the first node that is not a message so other stanzas keep their place.
    /// </summary>
    private static List<Node> TakeWaitingMessages(ChannelReader<Node> reader, Node first)
    {
        var batch = new List<Node> { first };
        while (batch.Count < MaxInboundBatch && reader.TryPeek(out var next) && next.Tag == "message" && reader.TryRead(out next))
        {
            batch.Add(next);
        }

        return batch;
    }

    /// <summary>
    /// Several waiting messages in one unit of work: decrypted in arrival order under the Signal gate and committed
    /// once. A message that does not decrypt has only its own store changes undone and gets its retry receipt;
    /// after the commit every message gets its receipt and ack, then the events follow in order. If the unit of
    /// work throws, none is acknowledged, and the messages are tried again one at a time.
    /// </summary>
    private async Task HandleMessageBatchAsync(LiveConnection connection, List<Node> nodes, CancellationToken cancellationToken)
    {
        var stanzas = new List<InboundStanza>(nodes.Count);
        foreach (var node in nodes)
        {
            if (await ReadStanzaAsync(node, cancellationToken).ConfigureAwait(false) is { } stanza)
            {
                stanzas.Add(stanza);
            }
        }

        var received = new ReceivedMessage?[stanzas.Count];
        var failures = new string?[stanzas.Count];
        Exception? failed = null;
        await signalGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await InboundUnit.RunBatchAsync(
                async (batch, token) =>
                {
                    for (var i = 0; i < stanzas.Count; i++)
                    {
                        (received[i], failures[i]) = await DecryptInBatchAsync(batch, stanzas[i], token).ConfigureAwait(false);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failed = ex;
        }
        finally
        {
            signalGate.Release();
        }

        if (failed is not null)
        {
            // Nothing of the batch committed (its unit of work is undone as a whole) and nothing was acked. One at a
            // time, a message that cannot be stored fails alone instead of holding back the others with it, and
            // still is not acked: WhatsApp redelivers it.
            log.LogWarning(failed, "a batch of {Count} messages did not commit; handling them one at a time", nodes.Count);
            await HandleOneByOneAsync(connection, nodes, cancellationToken).ConfigureAwait(false);
            return;
        }

        var events = new List<WaEvent>(stanzas.Count);
        for (var i = 0; i < stanzas.Count; i++)
        {
            await FinishMessageAsync(connection, stanzas[i], received[i], failures[i], events.Add, cancellationToken).ConfigureAwait(false);
        }

        foreach (var e in events)
        {
            Emit(e);
        }
    }

    private async Task HandleOneByOneAsync(LiveConnection connection, List<Node> nodes, CancellationToken cancellationToken)
    {
        foreach (var node in nodes)
        {
            try
            {
                await HandleMessageAsync(connection, node, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "handling <message> failed");
            }
        }
    }

    private async Task<(ReceivedMessage? Received, string? Failure)> DecryptInBatchAsync(
        IInboundBatch batch, InboundStanza stanza, CancellationToken cancellationToken)
    {
        if (stanza.Encs.Length == 0)
        {
            return (null, null);
        }

        try
        {
            return (await batch.DecryptAsync((stores, token) => DecryptStanzaAsync(stores, stanza, token), cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (DecryptFailure(ex) is { } failure)
        {
            return (null, failure);
        }
    }
}
