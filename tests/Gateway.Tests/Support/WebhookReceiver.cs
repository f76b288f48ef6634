using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Support;

/// <summary>An app's webhook endpoint: records every delivery and answers with the status the test sets.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private LoopbackHttpServer server = null!;

    public int Status { get; set; } = 200;

    public Uri Url => new(server.BaseUrl, "hook");

    public IReadOnlyList<RecordedRequest> Deliveries => [.. server.Requests];

    /// <summary>Delivered envelopes (answered 2xx), parsed, in arrival order.</summary>
    public ConcurrentQueue<JsonElement> Accepted { get; } = new();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        receiver.server = await LoopbackHttpServer.StartAsync(receiver.AnswerAsync);
        return receiver;
    }

    public IEnumerable<JsonElement> Events(string name) => Accepted.Where(e => e.GetProperty("event").GetString() == name);

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private Task AnswerAsync(HttpContext context, RecordedRequest request)
    {
        var status = Status;
        context.Response.StatusCode = status;
        if (status is >= 200 and < 300)
        {
            Accepted.Enqueue(JsonDocument.Parse(request.Body).RootElement.Clone());
        }

        return Task.CompletedTask;
    }
}
