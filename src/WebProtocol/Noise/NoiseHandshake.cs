using Gateway.WebProtocol.Transport;

namespace Gateway.WebProtocol.Noise;

/// <summary>Runs the three handshake messages over a <see cref="FrameSocket"/> and yields a <see cref="NoiseSocket"/>.</summary>
public static class NoiseHandshake
{
    /// <summary>How long to wait for the peer's next handshake message (whatsmeow uses 20 s).</summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Client side: hello, server hello (certificate checked), finish with <paramref name="clientPayload"/>.</summary>
    /// <exception cref="NoiseHandshakeException">The server's answer is malformed or not trusted.</exception>
    /// <exception cref="ConnectionException">The connection dropped or the server did not answer in time.</exception>
    public static async Task<NoiseSocket> ConnectAsync(
        FrameSocket frames,
        NoiseInitiator initiator,
        ReadOnlyMemory<byte> clientPayload,
        TimeProvider? timeProvider,
        CancellationToken cancellationToken,
        TimeSpan? stepTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(initiator);
        await frames.SendFrameAsync(initiator.WriteClientHello(), cancellationToken).ConfigureAwait(false);
        var serverHello = await ReceiveStepAsync(frames, "server hello", stepTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        initiator.ReadServerHello(serverHello);
        await frames.SendFrameAsync(initiator.WriteClientFinish(clientPayload.Span), cancellationToken).ConfigureAwait(false);
        var (encryptor, decryptor) = initiator.Split();
        return new NoiseSocket(frames, encryptor, decryptor);
    }

    /// <summary>
    /// Server side: client hello, server hello, client finish. Afterwards <paramref name="responder"/> holds the
    /// client's static key and ClientPayload.
    /// </summary>
    public static async Task<NoiseSocket> AcceptAsync(
        FrameSocket frames,
        NoiseResponder responder,
        TimeProvider? timeProvider,
        CancellationToken cancellationToken,
        TimeSpan? stepTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(responder);
        responder.ReadClientHello(
            await ReceiveStepAsync(frames, "client hello", stepTimeout, timeProvider, cancellationToken).ConfigureAwait(false));
        await frames.SendFrameAsync(responder.WriteServerHello(), cancellationToken).ConfigureAwait(false);
        responder.ReadClientFinish(
            await ReceiveStepAsync(frames, "client finish", stepTimeout, timeProvider, cancellationToken).ConfigureAwait(false));
        var (encryptor, decryptor) = responder.Split();
        return new NoiseSocket(frames, encryptor, decryptor);
    }

    private static async Task<byte[]> ReceiveStepAsync(
        FrameSocket frames, string what, TimeSpan? stepTimeout, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        var limit = stepTimeout ?? DefaultStepTimeout;
        using var timeout = new CancellationTokenSource(limit, timeProvider ?? TimeProvider.System);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await frames.ReceiveFrameAsync(linked.Token).ConfigureAwait(false)
                ?? throw new ConnectionException(
                    ConnectionFaultKind.Closed, $"peer closed before the {what}", isTransient: true);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ConnectionException(
                ConnectionFaultKind.HandshakeTimeout, $"no {what} within {limit}", isTransient: true, ex);
        }
    }
}
