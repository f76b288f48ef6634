using System.Text;
using System.Text.Json;
using Gateway.Tests.Support;
using Gateway.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Webhooks;

public sealed class WebhookSenderTests : IAsyncLifetime
{
    private readonly WebhookSecret secret = WebhookSecret.Generate();
    private LoopbackHttpServer receiver = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        receiver = await LoopbackHttpServer.StartAsync((context, _) => { context.Response.StatusCode = 204; return Task.CompletedTask; });
        http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task Delivery_posts_the_envelope_with_signature_headers()
    {
        var envelope = WebhookEnvelope.Create("evt_1", "message", "shop-1", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), new { text = "hi" });
        var body = envelope.ToUtf8Bytes();

        var attempt = await Sender().SendAsync(receiver.BaseUrl, "evt_1", body, [secret], WebhookSender.DefaultTimeout, CancellationToken.None);

        Assert.Equal(AttemptOutcome.Delivered, attempt.Outcome);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(body, request.Body);
        Assert.Equal("evt_1", request.Header("webhook-id"));
        Assert.StartsWith("v1,", request.Header("webhook-signature"), StringComparison.Ordinal);
        Assert.StartsWith("sha256=", request.Header("X-Webhook-Signature"), StringComparison.Ordinal);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("message", json.RootElement.GetProperty("event").GetString());
        Assert.Equal("shop-1", json.RootElement.GetProperty("tenantId").GetString());
        Assert.Equal("hi", json.RootElement.GetProperty("data").GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(500, AttemptOutcome.Retry)]
    [InlineData(503, AttemptOutcome.Retry)]
    [InlineData(408, AttemptOutcome.Retry)]
    [InlineData(429, AttemptOutcome.Retry)]
    [InlineData(400, AttemptOutcome.Reject)]
    [InlineData(404, AttemptOutcome.Reject)]
    [InlineData(410, AttemptOutcome.Reject)]
    [InlineData(200, AttemptOutcome.Delivered)]
    [InlineData(202, AttemptOutcome.Delivered)]
    public async Task Answers_are_classified(int status, AttemptOutcome expected)
    {
        receiver.Handler = (context, _) => { context.Response.StatusCode = status; return Task.CompletedTask; };

        var attempt = await Sender().SendAsync(receiver.BaseUrl, "evt_1", "{}"u8.ToArray(), [secret], WebhookSender.DefaultTimeout, CancellationToken.None);

        Assert.Equal(expected, attempt.Outcome);
        Assert.Equal(status, attempt.StatusCode);
    }

    [Fact]
    public async Task A_receiver_that_hangs_is_a_timeout_to_retry()
    {
        receiver.Handler = async (context, _) => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);

        var attempt = await Sender().SendAsync(receiver.BaseUrl, "evt_1", "{}"u8.ToArray(), [secret], TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.Equal(AttemptOutcome.Retry, attempt.Outcome);
        Assert.Equal("timed out", attempt.Error);
    }

    [Fact]
    public async Task A_receiver_that_is_not_there_is_a_network_error_to_retry()
    {
        var closed = receiver.BaseUrl;
        await receiver.DisposeAsync();
        receiver = await LoopbackHttpServer.StartAsync((context, _) => Task.CompletedTask);

        var attempt = await Sender().SendAsync(closed, "evt_1", Encoding.UTF8.GetBytes("{}"), [secret], WebhookSender.DefaultTimeout, CancellationToken.None);

        Assert.Equal(AttemptOutcome.Retry, attempt.Outcome);
        Assert.Null(attempt.StatusCode);
    }

    [Fact]
    public void Retry_delays_grow_with_jitter_under_the_cap_and_honour_retry_after()
    {
        var schedule = new RetrySchedule(new Random(7)) { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromMinutes(10) };

        var delays = Enumerable.Range(1, 20).Select(n => schedule.NextDelay(n, null)).ToArray();

        Assert.InRange(delays[0], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(delays[3], TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16));
        Assert.All(delays, d => Assert.True(d <= TimeSpan.FromMinutes(10)));
        Assert.True(delays[19] >= TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromSeconds(90), schedule.NextDelay(1, TimeSpan.FromSeconds(90)));
        Assert.Equal(TimeSpan.FromMinutes(10), schedule.NextDelay(1, TimeSpan.FromHours(5)));
    }

    private WebhookSender Sender() => new(http, TimeProvider.System);
}
