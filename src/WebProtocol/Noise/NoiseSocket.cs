using System.Runtime.CompilerServices;
using Gateway.WebProtocol.Transport;

namespace Gateway.WebProtocol.Noise;

/// <summary>
/// An established Noise connection: frames over the transport, each encrypted with the direction's
/// <see cref="TransportCipher"/>. Used by client and emulator alike; created by
/// <see cref="NoiseHandshake.ConnectAsync"/> or <see cref="NoiseHandshake.AcceptAsync"/>.
/// </summary>
public sealed class NoiseSocket : IAsyncDisposable
{
    private readonly FrameSocket frames;
    private readonly TransportCipher encryptor;
    private readonly TransportCipher decryptor;
    private readonly SemaphoreSlim sendGate = new(1, 1);
    private int disposed;

    internal NoiseSocket(FrameSocket frames, TransportCipher encryptor, TransportCipher decryptor)
    {
        this.frames = frames;
        this.encryptor = encryptor;
        this.decryptor = decryptor;
    }

    /// <summary>Server side: routing info the client sent in its intro.</summary>
    public byte[]? ClientRoutingInfo => frames.ClientRoutingInfo;

    /// <summary>Encrypts and sends one frame; concurrent callers are sent in the order they get the lock.</summary>
    public async Task SendFrameAsync(ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        await sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Encrypt and send under one lock: the receiver expects counters in wire order.
            var ciphertext = encryptor.Encrypt(plaintext.Span);
            await frames.SendFrameAsync(ciphertext, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sendGate.Release();
        }
    }

    /// <summary>The next decrypted frame, or <c>null</c> when the peer closed cleanly.</summary>
    /// <exception cref="ConnectionException">Tampered frame, broken framing or a drop mid-frame.</exception>
    public async Task<byte[]?> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        var frame = await frames.ReceiveFrameAsync(cancellationToken).ConfigureAwait(false);
        return frame is null ? null : decryptor.Decrypt(frame);
    }

    /// <summary>Decrypted frames until the peer closes.</summary>
    public async IAsyncEnumerable<byte[]> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await ReceiveFrameAsync(cancellationToken).ConfigureAwait(false) is { } frame)
        {
            yield return frame;
        }
    }

    public ValueTask CloseAsync(CancellationToken cancellationToken) => frames.CloseAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await frames.DisposeAsync().ConfigureAwait(false);
        encryptor.Dispose();
        decryptor.Dispose();
    }
}
