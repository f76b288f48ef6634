using System.Text.Json;
using Gateway.Interop;
using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Transport;
using static Gateway.WebProtocol.Tests.Noise.NoiseTestKit;

namespace Gateway.WebProtocol.Tests.Noise;

/// <summary>Stock Baileys (npm, pinned) as the Noise initiator against our responder on a loopback WebSocket.</summary>
public sealed class BaileysInteropTests
{
    [Fact]
    public async Task Stock_Baileys_completes_the_handshake_with_our_responder_and_exchanges_frames()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        // Baileys checks validity against the real clock, so this chain is valid around the real now.
        var server = CreateServer(seed: 60, notBefore: DateTimeOffset.UtcNow.AddDays(-1), notAfter: DateTimeOffset.UtcNow.AddDays(1));
        var clientPayload = ClientPayloadFactory.CreateLogin(15551234567, 3, new ClientPayloadOptions());
        var payloadBytes = Google.Protobuf.MessageExtensions.ToByteArray(clientPayload);
        var content = "from our responder"u8.ToArray();
        // A binary node <message>bytes</message> after the 0 flag byte: LIST_8, size 2, token 19, BINARY_8.
        byte[] node = [0x00, 0xF8, 0x02, 0x13, 0xFC, (byte)content.Length, .. content];
        var reply = "reply from stock baileys"u8.ToArray();
        var seen = new TaskCompletionSource<(byte[] ClientStatic, byte[] Payload, byte[]? Reply)>(
            TaskCreationOptions.RunContinuationsAsynchronously);

        await using var host = await LoopbackWebSocketServer.StartAsync(async socket =>
        {
            try
            {
                using var responder = new NoiseResponder(server.Static, server.Chain);
                await using var noise = await NoiseHandshake.AcceptAsync(
                    new FrameSocket(new WebSocketTransport(socket), FrameSocketRole.Server), responder, null, timeout.Token);
                await noise.SendFrameAsync(node, timeout.Token);
                var received = await noise.ReceiveFrameAsync(timeout.Token);
                seen.TrySetResult((responder.ClientStaticPublicKey.ToArray(), responder.ClientPayload.ToArray(), received));
            }
            catch (Exception ex)
            {
                seen.TrySetException(ex);
            }
        });

        var output = await NodeHarness.RunAsync(
            "noise/baileys-initiator.mjs",
            JsonSerializer.Serialize(new
            {
                url = host.Uri.ToString(),
                rootPublicKey = Convert.ToHexStringLower(server.Root.PublicKey),
                clientPayload = Convert.ToHexStringLower(payloadBytes),
                reply = Convert.ToHexStringLower(reply),
            }),
            timeout.Token);
        using var result = JsonDocument.Parse(output);
        var (clientStatic, payload, replyReceived) = await seen.Task.WaitAsync(timeout.Token);

        Assert.Equal(result.RootElement.GetProperty("noisePublicKey").GetString(), Convert.ToHexStringLower(clientStatic));
        Assert.Equal(payloadBytes, payload);
        Assert.Equal("message", result.RootElement.GetProperty("tag").GetString());
        Assert.Equal(Convert.ToHexStringLower(content), result.RootElement.GetProperty("received").GetString());
        Assert.Equal(reply, replyReceived);
    }
}
