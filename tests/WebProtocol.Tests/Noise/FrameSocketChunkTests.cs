using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Transport;

namespace Gateway.WebProtocol.Tests.Noise;

public sealed class FrameSocketChunkTests
{
    [Theory]
    [InlineData(256, 10_000)]
    [InlineData(4096, 70_000)]
    public async Task Frames_larger_than_the_receive_chunk_arrive_whole(int chunkSize, int frameLength)
    {
        var (clientEnd, serverEnd) = InMemoryDuplexTransport.CreatePair();
        await using var client = new FrameSocket(clientEnd, FrameSocketRole.Client);
        await using var server = new FrameSocket(serverEnd, FrameSocketRole.Server, receiveChunkSize: chunkSize);
        var payload = new byte[frameLength];
        new Random(7).NextBytes(payload);

        await client.SendFrameAsync(payload, CancellationToken.None);
        await client.SendFrameAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);

        Assert.Equal(payload, await server.ReceiveFrameAsync(CancellationToken.None));
        Assert.Equal(new byte[] { 1, 2, 3 }, await server.ReceiveFrameAsync(CancellationToken.None));
    }

    [Fact]
    public void A_chunk_below_256_bytes_is_refused()
    {
        var (clientEnd, _) = InMemoryDuplexTransport.CreatePair();
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameSocket(clientEnd, FrameSocketRole.Server, receiveChunkSize: 16));
    }
}
