using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Cloud;

/// <summary>A request the fake Graph server received.</summary>
public sealed record GraphRequest(string Method, string PathAndQuery, string? Authorization, string? ContentType, byte[] Body, DateTimeOffset At);

/// <summary>
/// A Graph API stand-in on 127.0.0.1 over real HTTP. Answers come from a queue of scripted responses (status,
/// JSON, headers); with the queue empty it answers as Meta does for a successful send.
/// </summary>
public sealed class FakeGraphServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<(int Status, string Json, IReadOnlyDictionary<string, string> Headers)> script = new();
    private int messageCounter;

    private FakeGraphServer(WebApplication app) => this.app = app;

    public ConcurrentQueue<GraphRequest> Requests { get; } = new();

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public static async Task<FakeGraphServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeGraphServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address + "/");
        return server;
    }

    public void Enqueue(int status, string json, IReadOnlyDictionary<string, string>? headers = null) =>
        script.Enqueue((status, json, headers ?? new Dictionary<string, string>()));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        Requests.Enqueue(new GraphRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.Authorization.ToString(),
            context.Request.ContentType,
            buffer.ToArray(),
            DateTimeOffset.UtcNow));

        if (script.TryDequeue(out var scripted))
        {
            context.Response.StatusCode = scripted.Status;
            foreach (var (name, value) in scripted.Headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(scripted.Json);
            return;
        }

        context.Response.ContentType = "application/json";
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
