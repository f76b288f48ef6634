using System.Net.WebSockets;
using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Transport;
using static Gateway.WebProtocol.Tests.Noise.NoiseTestKit;

namespace Gateway.WebProtocol.Tests.Noise;

/// <summary>Our initiator against our responder over a real WebSocket on loopback (Kestrel).</summary>
public sealed class WebSocketHandshakeTests
{
    private static readonly byte[] Payload = "payload over a websocket"u8.ToArray();

    [Fact]
    public async Task Handshake_and_frames_work_over_a_loopback_websocket_with_coalesced_and_split_messages()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var server = CreateServer(seed: 50);
        var clientKey = ClientKey(seed: 51);
        var serverSide = new TaskCompletionSource<(NoiseSocket Socket, NoiseResponder Responder, RechunkingTransport Transport)>();
        var serverDone = new TaskCompletionSource();
        await using var host = await LoopbackWebSocketServer.StartAsync(async socket =>
        {
            var transport = new RechunkingTransport(new WebSocketTransport(socket));
            var responder = new NoiseResponder(server.Static, server.Chain);
            var noise = await NoiseHandshake.AcceptAsync(
                new FrameSocket(transport, FrameSocketRole.Server), responder, Clock, timeout.Token);
            serverSide.SetResult((noise, responder, transport));
            await serverDone.Task.WaitAsync(timeout.Token);
        });
        try
        {
            await RunScenarioAsync(host, server, clientKey, serverSide.Task, timeout.Token);
        }
        finally
        {
            serverDone.TrySetResult();
        }
    }

    private static async Task RunScenarioAsync(
        LoopbackWebSocketServer host,
        TestServer server,
        Gateway.WebProtocol.Signal.KeyPair clientKey,
        Task<(NoiseSocket Socket, NoiseResponder Responder, RechunkingTransport Transport)> serverSide,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var clientTransport = new RechunkingTransport(
            await WebSocketTransport.ConnectAsync(host.Uri, new WebSocketTransportOptions(), timeout.Token));
        await using var client = await NoiseHandshake.ConnectAsync(
            new FrameSocket(clientTransport, FrameSocketRole.Client),
            new NoiseInitiator(clientKey, new NoiseCertificateVerifier(server.Root.PublicKey, Clock)),
            Payload,
            Clock,
            timeout.Token);
        var (serverSocket, responder, serverTransport) = await serverSide.WaitAsync(timeout.Token);

        Assert.Equal("https://web.whatsapp.com", host.LastOrigin);
        Assert.Equal(clientKey.PublicKey, responder.ClientStaticPublicKey.ToArray());
        Assert.Equal(Payload, responder.ClientPayload.ToArray());

        // Server -> client: three frames (22+22+1019 bytes on the wire) cut as [0,30) [30,35) [35,500) [500,end):
        // the first message holds frame 1 and the start of frame 2, frame 3 spans two messages.
        var serverFrames = new[] { "one"u8.ToArray(), "two"u8.ToArray(), new byte[1000] };
        Array.Fill(serverFrames[2], (byte)0x5a);
        serverTransport.Hold = true;
        foreach (var frame in serverFrames)
        {
            await serverSocket.SendFrameAsync(frame, timeout.Token);
        }

        Assert.Equal(22 + 22 + 1019, serverTransport.HeldLength);
        await serverTransport.FlushAsync([30, 35, 500], timeout.Token);
        foreach (var expected in serverFrames)
        {
            Assert.Equal(expected, await client.ReceiveFrameAsync(timeout.Token));
        }

        // Client -> server: four frames in a single WebSocket message, then one frame split in two messages.
        clientTransport.Hold = true;
        var clientFrames = Enumerable.Range(1, 5).Select(i => Enumerable.Repeat((byte)i, i * 10).ToArray()).ToList();
        foreach (var frame in clientFrames.Take(4))
        {
            await client.SendFrameAsync(frame, timeout.Token);
        }

        await clientTransport.FlushAsync([], timeout.Token);
        await client.SendFrameAsync(clientFrames[4], timeout.Token);
        await clientTransport.FlushAsync([7], timeout.Token);
        foreach (var expected in clientFrames)
        {
            Assert.Equal(expected, await serverSocket.ReceiveFrameAsync(timeout.Token));
        }

        // Closing the client ends the server's stream cleanly.
        await client.CloseAsync(timeout.Token);
        Assert.Null(await serverSocket.ReceiveFrameAsync(timeout.Token));
        await serverSocket.DisposeAsync();
    }

    [Fact]
    public async Task Connecting_to_a_port_nobody_listens_on_is_a_transient_connect_failure()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var ex = await Assert.ThrowsAsync<ConnectionException>(() => WebSocketTransport.ConnectAsync(
            new Uri($"ws://127.0.0.1:{port}/ws/chat"), new WebSocketTransportOptions(), CancellationToken.None));

        Assert.Equal(ConnectionFaultKind.ConnectFailed, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task Close_runs_once_and_later_sends_fail_as_closed()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var host = await LoopbackWebSocketServer.StartAsync(async socket =>
        {
            var buffer = new byte[16];
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
            }
        });
        var transport = await WebSocketTransport.ConnectAsync(host.Uri, new WebSocketTransportOptions(), timeout.Token);

        await transport.CloseAsync(timeout.Token);
        await transport.CloseAsync(timeout.Token);

        var ex = await Assert.ThrowsAsync<ConnectionException>(async () => await transport.SendAsync(new byte[1], timeout.Token));
        Assert.Equal(ConnectionFaultKind.Closed, ex.Kind);
        Assert.Equal(0, await transport.ReceiveAsync(new byte[4], timeout.Token));
    }
}
