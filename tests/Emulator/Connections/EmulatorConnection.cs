using System.Collections.Concurrent;
using System.Threading.Channels;
using Gateway.Emulator.Accounts;
using Gateway.Emulator.Pairing;
using Gateway.WebProtocol;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Transport;

namespace Gateway.Emulator.Connections;

/// <summary>
/// One client connection after the Noise handshake: a read loop that dispatches stanzas and a write loop
/// that drains a single-reader channel, so any thread can post a stanza without blocking.
/// </summary>
public sealed class EmulatorConnection
{
    private readonly NoiseSocket socket;
    private readonly Action abort;
    private readonly Channel<Outbound> outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    });

    private readonly ConcurrentDictionary<string, TaskCompletionSource<Node>> awaitedReplies = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource lifetime = new();

    internal EmulatorConnection(NoiseSocket socket, Action abort)
    {
        this.socket = socket;
        this.abort = abort;
    }

    /// <summary>The logged-in device, or null while this is a registration (pairing) connection.</summary>
    public Device? Device { get; internal set; }

    internal PairingSession? Pairing { get; set; }

    internal CancellationToken Lifetime => lifetime.Token;

    /// <summary>Queues a stanza for sending; false once the connection is closing.</summary>
    public bool Post(Node stanza) => outbound.Writer.TryWrite(new Outbound(stanza, CloseAfter: false));

    /// <summary>Sends <c>stream:error code</c> (after everything queued before it) and closes.</summary>
    public void PostStreamErrorAndClose(int code) =>
        outbound.Writer.TryWrite(new Outbound(Stanzas.StanzaBuilder.StreamError(code), CloseAfter: true));

    /// <summary>Sends <c>failure reason</c> and closes.</summary>
    public void PostFailureAndClose(int reason) =>
        outbound.Writer.TryWrite(new Outbound(Stanzas.StanzaBuilder.Failure(reason), CloseAfter: true));

    /// <summary>Drops the connection without a goodbye (the client sees the socket close).</summary>
    public void Drop()
    {
        outbound.Writer.TryComplete();
        lifetime.Cancel();
        abort();
    }

    /// <summary>Sends an iq and waits for the client's result or error with the same id.</summary>
    internal async Task<Node> QueryAsync(Node iq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = iq.GetRequiredAttribute("id");
        var reply = new TaskCompletionSource<Node>(TaskCreationOptions.RunContinuationsAsynchronously);
        awaitedReplies[id] = reply;
        try
        {
            if (!Post(iq))
            {
                throw new InvalidOperationException("the connection is closed");
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Token);
            return await reply.Task.WaitAsync(timeout, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            awaitedReplies.TryRemove(id, out _);
        }
    }

    /// <summary>Runs both loops until either side closes; <paramref name="dispatch"/> handles each stanza.</summary>
    internal async Task RunAsync(Func<EmulatorConnection, Node, ValueTask> dispatch, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Token);
        var writer = WriteLoopAsync(linked.Token);
        try
        {
            while (!linked.IsCancellationRequested)
            {
                var frame = await socket.ReceiveFrameAsync(linked.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    break;
                }

                var stanza = NodeFrame.Decode(frame);
                if (stanza.Tag == "iq" && stanza.GetAttribute("type") is "result" or "error"
                    && stanza.GetAttribute("id") is { } id && awaitedReplies.TryRemove(id, out var waiter))
                {
                    waiter.TrySetResult(stanza);
                    continue;
                }

                await dispatch(this, stanza).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ConnectionException or WireFormatException)
        {
            // The client went away, sent garbage, or the connection was told to close: all end the connection.
        }
        finally
        {
            outbound.Writer.TryComplete();
            await lifetime.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            foreach (var waiter in awaitedReplies.Values)
            {
                waiter.TrySetCanceled(CancellationToken.None);
            }

            await socket.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await socket.SendFrameAsync(NodeFrame.Encode(item.Stanza), cancellationToken).ConfigureAwait(false);
                if (item.CloseAfter)
                {
                    outbound.Writer.TryComplete();
                    // Let the client act on the goodbye and close first, as WhatsApp's server does: Baileys handles
                    // a stream:error asynchronously and reads a close that overtakes it as "connection closed" (428).
                    try
                    {
                        await Task.Delay(GoodbyeGrace, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client closed (or the emulator stops): nothing to wait for.
                    }

                    await socket.CloseAsync(CancellationToken.None).ConfigureAwait(false);
                    await lifetime.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ConnectionException or ObjectDisposedException)
        {
            // Closing: whatever is still queued stays in the device's pending list for the next login.
        }
    }

    private static readonly TimeSpan GoodbyeGrace = TimeSpan.FromSeconds(1);

    private readonly record struct Outbound(Node Stanza, bool CloseAfter);
}
