using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.WebProtocol.Tests.Noise;

/// <summary>Kestrel on 127.0.0.1 with an ephemeral port; every WebSocket request runs <c>handler</c> to completion.</summary>
internal sealed class LoopbackWebSocketServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackWebSocketServer(WebApplication app, Uri uri)
    {
        this.app = app;
        Uri = uri;
    }

    public Uri Uri { get; }

    /// <summary>Origin header of the last upgrade request.</summary>
    public string? LastOrigin { get; private set; }

    public static async Task<LoopbackWebSocketServer> StartAsync(Func<WebSocket, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        LoopbackWebSocketServer? server = null;
        app.Map("/ws/chat", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            server!.LastOrigin = context.Request.Headers.Origin;
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await handler(socket);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new LoopbackWebSocketServer(app, new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws/chat"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
