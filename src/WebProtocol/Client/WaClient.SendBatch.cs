using System.Collections.Concurrent;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Types;

namespace Gateway.WebProtocol.Client;

public sealed partial class WaClient
{
    /// <summary>At most this many queued sends are encrypted together and share one write of their sessions.</summary>
    internal const int MaxSendBatch = 32;

    private readonly ConcurrentQueue<PendingSend> sendQueue = new();

    /// <summary>Sends queued for the Signal gate and not taken yet (tests queue sends behind a held one).</summary>
    internal int QueuedSends => sendQueue.Count;

    /// <summary>
    /// Queues <paramref name="send"/> and encrypts it, with every send queued meanwhile, under the Signal gate.
    /// Sends wait for the gate one behind another anyway; whichever gets it encrypts all that are waiting, in the
    /// order they queued, and stores the sessions they advanced in one write instead of one each. Returns the stanza
    /// to write, once the sessions it advanced are on disk.
    /// </summary>
    private async Task<Node> EncryptQueuedAsync(PendingSend send, LiveConnection connection, Jid me, Jid? meLid, CancellationToken cancellationToken)
    {
        sendQueue.Enqueue(send);
        var entered = false;
        try
        {
            await signalGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            entered = true;
        }
        catch (OperationCanceledException) when (send.TryAbandon())
        {
            throw; // still queued: nobody will encrypt it
        }
        catch (OperationCanceledException)
        {
            // Another send took it already: its stanza must still go out once it is on disk.
        }

        if (entered)
        {
            try
            {
                while (send.IsQueued)
                {
                    await EncryptBatchAsync(connection, me, meLid).ConfigureAwait(false);
                }
            }
            finally
            {
                signalGate.Release();
            }
        }

        return await send.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Takes the queued sends (up to <see cref="MaxSendBatch"/>), encrypts them in order and commits them; runs under the Signal gate.</summary>
    private async Task EncryptBatchAsync(LiveConnection connection, Jid me, Jid? meLid)
    {
        var batch = new List<PendingSend>();
        while (batch.Count < MaxSendBatch && sendQueue.TryDequeue(out var queued))
        {
            if (queued.TryTake())
            {
                batch.Add(queued);
            }
        }

        try
        {
            await EncryptAndCommitAsync(batch, connection, me, meLid).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // Whatever went wrong, no send of the batch is left waiting (those already settled keep their outcome).
            foreach (var send in batch)
            {
                send.Done.TrySetException(error);
            }
        }
    }

    private async Task EncryptAndCommitAsync(List<PendingSend> batch, LiveConnection connection, Jid me, Jid? meLid)
    {
        // The batch's work runs for every send in it, so no single caller's cancellation cuts it short; the
        // connection's end does.
        var token = connection.Stop.Token;
        var sessions = new Dictionary<ProtocolAddress, SessionRecord>();
        var encrypted = new List<(PendingSend Send, Node Stanza)>(batch.Count);
        foreach (var send in batch)
        {
            try
            {
                encrypted.Add((send, await EncryptOneAsync(send, me, meLid, sessions, token).ConfigureAwait(false)));
            }
            catch (Exception error)
            {
                // This send fails alone. A session it advanced before failing keeps that step: the peer skips a
                // message key it never receives, as it does for a lost message.
                send.Done.TrySetException(error);
            }
        }

        if (encrypted.Count == 0)
        {
            return;
        }

        try
        {
            // The sessions the batch advanced, newest state of each, in one write: on disk before any stanza leaves.
            await ActiveSignal.Sessions.StoreSessionsAsync([.. sessions], token).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            foreach (var (send, _) in encrypted)
            {
                send.Done.TrySetException(error);
            }

            return;
        }

        foreach (var (send, stanza) in encrypted)
        {
            send.Done.TrySetResult(stanza);
        }
    }

    /// <summary>One send waiting for the Signal gate: queued, then taken by the send that encrypts it, or abandoned by its cancelled caller.</summary>
    private sealed class PendingSend(string id, Jid chat, Message message)
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Abandoned = 2;
        private int _state;

        public string Id => id;

        public Jid Chat => chat;

        public Message Message => message;

        public TaskCompletionSource<Node> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsQueued => Volatile.Read(ref _state) == Queued;

        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;
    }
}
