using System.Collections.Concurrent;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Cloud;

/// <summary>
/// A Graph API stand-in over real HTTP. Answers come from a queue of scripted responses (status, JSON,
/// headers); with the queue empty it answers as Meta documents a successful call.
/// </summary>
public sealed class FakeGraphServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<(int Status, string Json, IReadOnlyDictionary<string, string> Headers)> script = new();
    private LoopbackHttpServer server = null!;
    private int messageCounter;

    public ConcurrentQueue<RecordedRequest> Requests => server.Requests;

    public Uri BaseUrl => server.BaseUrl;

    public static async Task<FakeGraphServer> StartAsync()
    {
        var graph = new FakeGraphServer();
        graph.server = await LoopbackHttpServer.StartAsync(graph.AnswerAsync);
        return graph;
    }

    public void Enqueue(int status, string json, IReadOnlyDictionary<string, string>? headers = null) =>
        script.Enqueue((status, json, headers ?? new Dictionary<string, string>()));

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private async Task AnswerAsync(HttpContext context, RecordedRequest request)
    {
        context.Response.ContentType = "application/json";
        if (script.TryDequeue(out var scripted))
        {
            context.Response.StatusCode = scripted.Status;
            foreach (var (name, value) in scripted.Headers)
            {
                context.Response.Headers[name] = value;
            }

            await context.Response.WriteAsync(scripted.Json);
            return;
        }

        var path = context.Request.Path.Value ?? "";
        if (path.EndsWith("/media", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync("{\"id\":\"media-4711\"}");
        }
        else if (path.EndsWith("/messages", StringComparison.Ordinal))
        {
            var n = Interlocked.Increment(ref messageCounter);
            await context.Response.WriteAsync($$"""{"messaging_product":"whatsapp","contacts":[{"input":"15551234567","wa_id":"15551234567"}],"messages":[{"id":"wamid.fake{{n}}"}]}""");
        }
        else
        {
            await context.Response.WriteAsync("{\"display_phone_number\":\"+1 555-000-1111\",\"verified_name\":\"Shop\",\"id\":\"123\"}");
        }
    }
}
