using System.Text;
using System.Text.Json;
using Gateway.Observability;
using Gateway.SessionStore.Abstractions;
using Gateway.Tests.Support;
using Gateway.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Webhooks;

public sealed class WebhookDispatcherTests : IAsyncLifetime
{
    private readonly InMemoryWebhookOutbox outbox = new();
    private readonly WebhookSecret secret = WebhookSecret.Generate();
    private readonly HttpClient http = new();
    private LoopbackHttpServer receiver = null!;
    private int status = 200;

    public async Task InitializeAsync() =>
        receiver = await LoopbackHttpServer.StartAsync((context, _) => { context.Response.StatusCode = Volatile.Read(ref status); return Task.CompletedTask; });

    public async Task DisposeAsync()
    {
        http.Dispose();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_every_event_in_order_once_it_is_back()
    {
        status = 500;
        await AppendAsync(10);
        await using var dispatcher = Dispatcher(new RetrySchedule(new Random(1)) { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(80) });
        dispatcher.Start();
        await Eventually.HoldsAsync(() => receiver.Requests.Count >= 4);

        Volatile.Write(ref status, 200);
        await Eventually.HoldsAsync(async () => (await outbox.ReadPendingAsync(100, CancellationToken.None)).Count == 0);

        var delivered = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("n").GetInt32()).ToArray();
        var firstSuccess = Array.FindLastIndex(delivered, n => n == 0);
        Assert.Equal(Enumerable.Range(0, 10), delivered[firstSuccess..]);
        Assert.All(delivered[..firstSuccess], n => Assert.Equal(0, n));
        var log = await outbox.ReadDeliveryLogAsync(1, 100, CancellationToken.None);
        Assert.Contains(log, e => e.Outcome == DeliveryOutcome.Failed && e.StatusCode == 500);
    }

    [Fact]
    public async Task A_rejecting_receiver_dead_letters_that_event_and_the_rest_still_flow()
    {
        receiver.Handler = (context, request) =>
        {
            var n = JsonDocument.Parse(request.Body).RootElement.GetProperty("n").GetInt32();
            context.Response.StatusCode = n == 1 ? 422 : 200;
            return Task.CompletedTask;
        };
        await AppendAsync(3);
        await using var dispatcher = Dispatcher(new RetrySchedule(new Random(1)));
        dispatcher.Start();

        await Eventually.HoldsAsync(async () => (await outbox.ReadPendingAsync(100, CancellationToken.None)).Count == 0);

        var dead = Assert.Single(await outbox.ReadDeadLettersAsync(10, CancellationToken.None));
        Assert.Equal("evt-1", dead.EventId);
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task An_event_that_spends_its_retry_budget_is_dead_lettered()
    {
        status = 503;
        await AppendAsync(1);
        await using var dispatcher = Dispatcher(new RetrySchedule(new Random(1)) { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(10), MaxAttempts = 3 });
        dispatcher.Start();

        await Eventually.HoldsAsync(async () => (await outbox.ReadDeadLettersAsync(10, CancellationToken.None)).Count == 1);

        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task Nothing_is_sent_without_a_target_and_the_backlog_flows_when_one_is_set()
    {
        WebhookTarget? current = null;
        await AppendAsync(2);
        await using var dispatcher = new WebhookDispatcher("shop-1", outbox, () => current, new WebhookSender(http, TimeProvider.System), new RetrySchedule(new Random(1)), TimeProvider.System, new GatewayMetrics(), NullLogger.Instance);
        dispatcher.Start();
        await Task.Delay(100);
        Assert.Empty(receiver.Requests);

        current = new WebhookTarget(receiver.BaseUrl, [secret], null);
        dispatcher.Notify();

        await Eventually.HoldsAsync(() => receiver.Requests.Count == 2);
    }

    [Fact]
    public async Task A_partial_batch_is_read_once_and_an_event_appended_during_its_delivery_still_goes_out()
    {
        var reads = new CountingOutbox(outbox);
        using var firstArrived = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        receiver.Handler = async (context, request) =>
        {
            if (JsonDocument.Parse(request.Body).RootElement.GetProperty("n").GetInt32() == 0)
            {
                firstArrived.Release();
                await release.WaitAsync();
            }

            context.Response.StatusCode = 200;
        };
        await AppendAsync(1);
        await using var dispatcher = new WebhookDispatcher("shop-1", reads, () => new WebhookTarget(receiver.BaseUrl, [secret], null), new WebhookSender(http, TimeProvider.System), new RetrySchedule(new Random(1)), TimeProvider.System, new GatewayMetrics(), NullLogger.Instance);
        dispatcher.Start();

        // While the first delivery is in flight, another event is appended and announced, as a session does.
        Assert.True(await firstArrived.WaitAsync(TimeSpan.FromSeconds(10)));
        await outbox.AppendAsync([new NewOutboxEvent("evt-late", "message", Encoding.UTF8.GetBytes("{\"n\":1}"), DateTimeOffset.UtcNow)], CancellationToken.None);
        dispatcher.Notify();
        release.Release();

        await Eventually.HoldsAsync(async () => (await outbox.ReadPendingAsync(100, CancellationToken.None)).Count == 0);
        Assert.Equal(2, receiver.Requests.Count);
        // One read per wake-up: the first found one event, the one after the Notify found the late one.
        Assert.Equal(2, reads.PendingReads);
    }

    [Fact]
    public async Task Successes_are_recorded_together_and_before_a_failure_after_them()
    {
        var counting = new CountingOutbox(outbox);
        await AppendAsync(3);
        var failNext = 1; // the third event is refused once: its failure is recorded after the two successes before it
        receiver.Handler = (context, request) =>
        {
            var n = JsonDocument.Parse(request.Body).RootElement.GetProperty("n").GetInt32();
            context.Response.StatusCode = n == 2 && Interlocked.Exchange(ref failNext, 0) == 1 ? 500 : 200;
            return Task.CompletedTask;
        };
        await using var dispatcher = new WebhookDispatcher("shop-1", counting, () => new WebhookTarget(receiver.BaseUrl, [secret], null), new WebhookSender(http, TimeProvider.System), new RetrySchedule(new Random(1)) { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(40) }, TimeProvider.System, new GatewayMetrics(), NullLogger.Instance);
        dispatcher.Start();

        await Eventually.HoldsAsync(async () => (await outbox.ReadPendingAsync(100, CancellationToken.None)).Count == 0);
        Assert.Equal(["delivered 1,2", "failure 3", "delivered 3"], counting.Calls);
        Assert.Equal(
            [DeliveryOutcome.Delivered, DeliveryOutcome.Delivered, DeliveryOutcome.Failed, DeliveryOutcome.Delivered],
            (await outbox.ReadDeliveryLogAsync(null, 10, CancellationToken.None)).Reverse().Select(e => e.Outcome));
        Assert.Equal(4, receiver.Requests.Count); // none of the successes went out twice
    }

    private WebhookDispatcher Dispatcher(RetrySchedule schedule) =>
        new("shop-1", outbox, () => new WebhookTarget(receiver.BaseUrl, [secret], null), new WebhookSender(http, TimeProvider.System), schedule, TimeProvider.System, new GatewayMetrics(), NullLogger.Instance);

    private async Task AppendAsync(int count)
    {
        var events = Enumerable.Range(0, count)
            .Select(n => new NewOutboxEvent($"evt-{n}", "message", Encoding.UTF8.GetBytes($"{{\"n\":{n}}}"), DateTimeOffset.UtcNow))
            .ToArray();
        await outbox.AppendAsync(events, CancellationToken.None);
    }

    /// <summary>Counts the dispatcher's reads of pending events; everything else goes to the inner outbox.</summary>
    private sealed class CountingOutbox(IWebhookOutbox inner) : IWebhookOutbox
    {
        private int pendingReads;

        public int PendingReads => Volatile.Read(ref pendingReads);

        public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewOutboxEvent> events, CancellationToken cancellationToken) => inner.AppendAsync(events, cancellationToken);

        public Task<IReadOnlyList<OutboxEvent>> ReadPendingAsync(int max, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref pendingReads);
            return inner.ReadPendingAsync(max, cancellationToken);
        }

        public Task<IReadOnlyList<OutboxEvent>> ReadDeadLettersAsync(int max, CancellationToken cancellationToken) => inner.ReadDeadLettersAsync(max, cancellationToken);

        public Task<OutboxEvent?> GetAsync(long sequence, CancellationToken cancellationToken) => inner.GetAsync(sequence, cancellationToken);

        public System.Collections.Concurrent.ConcurrentQueue<string> Calls { get; } = new();

        public Task<int> MarkDeliveredAsync(IReadOnlyCollection<long> sequences, DateTimeOffset at, int? statusCode, CancellationToken cancellationToken)
        {
            Calls.Enqueue("delivered " + string.Join(",", sequences));
            return inner.MarkDeliveredAsync(sequences, at, statusCode, cancellationToken);
        }

        public Task<int> RecordFailuresAsync(IReadOnlyCollection<OutboxFailure> failures, CancellationToken cancellationToken)
        {
            Calls.Enqueue("failure " + string.Join(",", failures.Select(f => f.Sequence)));
            return inner.RecordFailuresAsync(failures, cancellationToken);
        }

        public Task<int> DeadLetterAsync(IReadOnlyCollection<long> sequences, DateTimeOffset at, string reason, CancellationToken cancellationToken) =>
            inner.DeadLetterAsync(sequences, at, reason, cancellationToken);

        public Task<bool> RequeueAsync(long sequence, DateTimeOffset at, CancellationToken cancellationToken) => inner.RequeueAsync(sequence, at, cancellationToken);

        public Task<IReadOnlyList<DeliveryLogEntry>> ReadDeliveryLogAsync(long? sequence, int max, CancellationToken cancellationToken) =>
            inner.ReadDeliveryLogAsync(sequence, max, cancellationToken);

        public Task<int> PruneAsync(OutboxRetention retention, int max, CancellationToken cancellationToken) => inner.PruneAsync(retention, max, cancellationToken);
    }
}
