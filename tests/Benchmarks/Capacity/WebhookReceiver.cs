using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Benchmarks.Capacity;

/// <summary>
/// A local webhook endpoint: checks each delivery's signature (X-Webhook-Signature, HMAC-SHA256 of the body with
/// the secret text), counts deliveries by event, and for `message` events whose text carries the sender's
/// Stopwatch timestamp records the latency from the REST send call to the webhook's arrival.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly byte[] secret;
    private readonly ConcurrentDictionary<string, int> byEvent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> messageIds = new(StringComparer.Ordinal);
    private TaskCompletionSource hold = CompletedHold();
    private int deliveries;
    private int badSignatures;

    private WebhookReceiver(WebApplication app, string secret)
    {
        this.app = app;
        this.secret = Encoding.UTF8.GetBytes(secret);
    }

    public Uri Url { get; private set; } = null!;

    public int Deliveries => Volatile.Read(ref deliveries);

    public int BadSignatures => Volatile.Read(ref badSignatures);

    /// <summary>Distinct inbound benchmark messages seen (a redelivery is counted once).</summary>
    public int Messages => messageIds.Count;

    public Latencies MessageLatency { get; private set; } = new();

    public IReadOnlyDictionary<string, int> ByEvent => byEvent;

    public static async Task<WebhookReceiver> StartAsync(string secret, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxConcurrentConnections = null);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, secret);
        app.MapPost("/hook", receiver.ReceiveAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address + "/hook");
        return receiver;
    }

    /// <summary>Starts a new measurement window (counts and latencies from zero).</summary>
    public void Reset()
    {
        byEvent.Clear();
        messageIds.Clear();
        MessageLatency = new Latencies();
        Interlocked.Exchange(ref deliveries, 0);
    }

    /// <summary>While held, deliveries wait unanswered (the gateway's outboxes fill); release answers them all.</summary>
    public void Hold() => hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => hold.TrySetResult();

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        var arrived = Stopwatch.GetTimestamp();
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, bytes));
        if (!string.Equals(request.Headers["X-Webhook-Signature"], expected, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref badSignatures);
            return Results.StatusCode(StatusCodes.Status400BadRequest);
        }

        await hold.Task;
        using var json = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length));
        var name = json.RootElement.GetProperty("event").GetString() ?? "";
        byEvent.AddOrUpdate(name, 1, (_, n) => n + 1);
        if (name == "message" && json.RootElement.GetProperty("data").TryGetProperty("text", out var text)
            && text.GetString() is { } value && value.StartsWith("bench|", StringComparison.Ordinal))
        {
            var parts = value.Split('|');
            if (messageIds.TryAdd(parts[1], 0))
            {
                MessageLatency.Add(Stopwatch.GetElapsedTime(long.Parse(parts[2], CultureInfo.InvariantCulture), arrived));
            }
        }

        Interlocked.Increment(ref deliveries);
        return Results.Ok();
    }

    private static TaskCompletionSource CompletedHold()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
