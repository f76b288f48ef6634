using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Support;

/// <summary>A request a loopback server received.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}

/// <summary>
/// Real HTTP on 127.0.0.1 with a port of its own. Records every request, then answers through the handler the
/// test gives it (which may change over the test: a receiver that is down, then up).
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackHttpServer(WebApplication app, Func<HttpContext, RecordedRequest, Task> handler)
    {
        this.app = app;
        Handler = handler;
    }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Func<HttpContext, RecordedRequest, Task> Handler { get; set; }

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <param name="host">Another loopback address (127.0.0.2, ...) for tests that tell two servers apart by address.</param>
    public static async Task<LoopbackHttpServer> StartAsync(Func<HttpContext, RecordedRequest, Task> handler, string host = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{host}:0");
        var app = builder.Build();
        var server = new LoopbackHttpServer(app, handler);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address + "/");
        return server;
    }

    /// <summary>A server on <paramref name="host"/> that answers every request with a redirect to <paramref name="target"/>.</summary>
    public static Task<LoopbackHttpServer> StartRedirectingAsync(Uri target, string host) =>
        StartAsync(
            (context, _) =>
            {
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = target.ToString();
                return Task.CompletedTask;
            },
            host);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var request = new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, buffer.ToArray(), DateTimeOffset.UtcNow);
        Requests.Enqueue(request);
        await Handler(context, request);
    }
}
