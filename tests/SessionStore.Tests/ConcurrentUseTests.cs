using Gateway.SessionStore.Abstractions;

namespace Gateway.SessionStore.Tests;

/// <summary>
/// Readers and units of work of one tenant at once, with payloads large enough that the connections' small page
/// caches keep recycling pages: nothing fails, nothing is lost, and batches come in sequence order.
/// </summary>
public sealed class ConcurrentUseTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempSessions _sessions = new();

    public void Dispose() => _sessions.Dispose();

    [Fact]
    public async Task Concurrent_reads_and_commits_that_churn_the_page_cache_lose_nothing()
    {
        using var store = TenantStore.Open(_sessions.PathName, "t", new TenantStoreOptions { IdleClose = null });
        var random = new Random(4242);
        var payloads = Enumerable.Range(0, 8).Select(_ =>
        {
            var bytes = new byte[24 * 1024];
            random.NextBytes(bytes);
            return bytes;
        }).ToArray();

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var n = w * 1000 + i;
                await store.RunInTransactionAsync(async (stores, ct) =>
                {
                    var at = DateTimeOffset.UnixEpoch.AddSeconds(n);
                    await stores.Messages.PutAsync([new MessageRecord { Id = $"m-{n}", Direction = MessageDirection.Inbound, Chat = "c@s.whatsapp.net", Status = MessageStatus.Received, CreatedAt = at, UpdatedAt = at }], ct);
                    await stores.Outbox.AppendAsync([new NewOutboxEvent($"e-{n}", "message", payloads[n % payloads.Length], at)], ct);
                }, None);
            }
        })).ToArray();
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                foreach (var pending in await store.Outbox.ReadPendingAsync(8, None))
                {
                    Assert.Equal(24 * 1024, pending.Payload.Length);
                }
                _ = await store.Messages.GetByIdAsync($"m-{i % 40}", None);
            }
        })).ToArray();
        await Task.WhenAll(writers.Concat(readers));

        var all = await store.Outbox.ReadPendingAsync(1000, None);
        Assert.Equal(160, all.Count);
        Assert.Equal(all.Select(e => e.Sequence).Order(), all.Select(e => e.Sequence));
        foreach (var e in all)
        {
            var n = int.Parse(e.EventId[2..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(payloads[n % payloads.Length], e.Payload);
        }
    }
}
