using System.Threading.Channels;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Noise;

namespace Gateway.WebProtocol.Client.Connection;

/// <summary>
/// One Noise connection and the loops that serve it: a reader that answers iqs and queues everything else,
/// a processor that handles the queue in order, and the keepalive. Ends exactly once.
/// </summary>
internal sealed class LiveConnection(NoiseSocket socket, IqTracker iqs, TimeProvider time)
{
    private long lastReceived = time.GetTimestamp();
    private int ended;

    public NoiseSocket Socket { get; } = socket;

    public IqTracker Iqs { get; } = iqs;

    public CancellationTokenSource Stop { get; } = new();

    // One reader (the processor) in fact; declared multi-reader because that channel can also count what waits.
    public Channel<Node> Inbound { get; } = Channel.CreateUnbounded<Node>(new UnboundedChannelOptions
    {
        SingleReader = false,
        SingleWriter = true,
        AllowSynchronousContinuations = false,
    });

    /// <summary>The first success or failure after a login payload.</summary>
    public TaskCompletionSource<Node> Login { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set by a stream:error or failure before the socket closes, so the close is reported with its cause.</summary>
    public DisconnectReason? TerminalReason { get; set; }

    public bool IsLoggedIn { get; set; }

    /// <summary>QR refs not shown yet, and how many were shown.</summary>
    public Queue<string> QrRefs { get; } = new();

    public int QrShown { get; set; }

    public ITimer? QrTimer { get; set; }

    public TimeSpan SinceLastFrame => time.GetElapsedTime(Volatile.Read(ref lastReceived));

    public void Touch() => Volatile.Write(ref lastReceived, time.GetTimestamp());

    /// <summary>True for the first caller only.</summary>
    public bool TryEnd() => Interlocked.Exchange(ref ended, 1) == 0;

    public bool HasEnded => Volatile.Read(ref ended) != 0;
}
