using System.Net;
using Gateway.Outbound;
using Gateway.Tests.Support;
using Gateway.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Outbound;

/// <summary>The check made when a connection opens: the address actually connected to, every redirect hop.</summary>
public sealed class GuardedHttpHandlerTests
{
    [Fact]
    public async Task A_redirect_from_an_allowed_server_to_a_refused_one_is_not_followed()
    {
        await using var secret = await LoopbackHttpServer.StartAsync((_, _) => Task.CompletedTask);
        await using var allowed = await LoopbackHttpServer.StartRedirectingAsync(new Uri(secret.BaseUrl, "latest/meta-data/"), "127.0.0.2");
        using var http = new HttpClient(GuardedHttpHandler.Create(OutboundPolicy.Parse("127.0.0.2/32")));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(allowed.BaseUrl, "media.pdf")));

        Assert.True(GuardedHttpHandler.IsRefusal(error, out var refusal));
        Assert.Equal("127.0.0.1", refusal!.Host);
        Assert.Single(allowed.Requests);
        Assert.Empty(secret.Requests);
    }

    [Fact]
    public async Task Redirects_are_followed_a_bounded_number_of_times()
    {
        LoopbackHttpServer? server = null;
        await using var looping = await LoopbackHttpServer.StartAsync((context, request) =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = new Uri(server!.BaseUrl, $"hop{server.Requests.Count}").ToString();
            return Task.CompletedTask;
        });
        server = looping;
        using var http = new HttpClient(GuardedHttpHandler.Create(OutboundPolicy.Unrestricted));

        using var response = await http.GetAsync(new Uri(looping.BaseUrl, "start"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(GuardedHttpHandler.MaxRedirects + 1, looping.Requests.Count);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task A_name_or_literal_that_resolves_to_loopback_is_refused_at_connect(string host)
    {
        await using var target = await LoopbackHttpServer.StartAsync((_, _) => Task.CompletedTask);
        using var http = new HttpClient(GuardedHttpHandler.Create(OutboundPolicy.Strict));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"http://{host}:{target.BaseUrl.Port}/")));

        Assert.True(GuardedHttpHandler.IsRefusal(error, out _));
        Assert.Empty(target.Requests);
    }

    [Fact]
    public async Task A_webhook_whose_address_became_refused_is_dead_lettered_without_a_request()
    {
        await using var receiver = await LoopbackHttpServer.StartAsync((_, _) => Task.CompletedTask);
        using var guarded = new HttpClient(GuardedHttpHandler.Create(OutboundPolicy.Strict));
        using var open = new HttpClient();
        var sender = new WebhookSender(guarded, open, TimeProvider.System);
        var secret = WebhookSecret.Generate();

        var refused = await sender.SendAsync(new WebhookTarget(receiver.BaseUrl, [secret], null), "evt_1", [], WebhookSender.DefaultTimeout, CancellationToken.None);
        Assert.Equal(AttemptOutcome.Reject, refused.Outcome);
        Assert.Equal(TargetNotAllowedException.ProblemSlug, refused.Error);
        Assert.Empty(receiver.Requests);

        var operatorOwn = await sender.SendAsync(new WebhookTarget(receiver.BaseUrl, [secret], null, OperatorOwned: true), "evt_2", [], WebhookSender.DefaultTimeout, CancellationToken.None);
        Assert.Equal(AttemptOutcome.Delivered, operatorOwn.Outcome);
        Assert.Single(receiver.Requests);
    }
}
