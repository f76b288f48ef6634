using System.Net.WebSockets;

namespace Gateway.WebProtocol.Transport;

/// <summary>
/// <see cref="IDuplexTransport"/> over a WebSocket with binary messages: a <see cref="ClientWebSocket"/> from
/// <see cref="ConnectAsync"/>, or a server-side socket handed to the constructor.
/// </summary>
public sealed class WebSocketTransport : IDuplexTransport
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);
    private readonly WebSocket socket;
    private readonly SemaphoreSlim sendGate = new(1, 1);
    private int closed;

    public WebSocketTransport(WebSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        this.socket = socket;
    }

    /// <summary>Opens a WebSocket to <paramref name="uri"/> with the WhatsApp Web origin and a connect timeout.</summary>
    /// <exception cref="ConnectionException">Connect failed or timed out (transient).</exception>
    public static async Task<WebSocketTransport> ConnectAsync(
        Uri uri, WebSocketTransportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        var client = new ClientWebSocket();
        client.Options.SetRequestHeader("Origin", options.Origin);
        client.Options.SetBuffer(options.ReceiveBufferSize, options.ReceiveBufferSize);
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await client.ConnectAsync(uri, linked.Token).ConfigureAwait(false);
            return new WebSocketTransport(client);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new ConnectionException(
                ConnectionFaultKind.ConnectTimeout, $"no WebSocket after {options.ConnectTimeout}", isTransient: true, ex);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException)
        {
            client.Dispose();
            throw new ConnectionException(ConnectionFaultKind.ConnectFailed, "WebSocket connect failed", isTransient: true, ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref closed) != 0)
            {
                throw new ConnectionException(ConnectionFaultKind.Closed, "WebSocket transport is closed", isTransient: true);
            }

            await socket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            throw new ConnectionException(ConnectionFaultKind.Closed, "WebSocket send failed", isTransient: true, ex);
        }
        finally
        {
            sendGate.Release();
        }
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref closed) == 0)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException ex) when (
                ex.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely || Volatile.Read(ref closed) != 0)
            {
                return 0;
            }
            catch (ObjectDisposedException)
            {
                // CloseAsync from another thread disposed the socket under a pending receive.
                return 0;
            }
            catch (WebSocketException ex)
            {
                throw new ConnectionException(ConnectionFaultKind.Closed, "WebSocket receive failed", isTransient: true, ex);
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }

            if (result.MessageType != WebSocketMessageType.Binary)
            {
                throw new ConnectionException(
                    ConnectionFaultKind.FrameProtocolViolation, "peer sent a text WebSocket message", isTransient: true);
            }

            if (result.Count > 0)
            {
                return result.Count;
            }
        }

        return 0;
    }

    public async ValueTask CloseAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref closed, 1) != 0)
        {
            return;
        }

        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, linked.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone already; closing is best effort and must not mask the reason we closed.
        }
        finally
        {
            socket.Dispose();
        }
    }

    public ValueTask DisposeAsync() => CloseAsync(CancellationToken.None);
}
