using System.Net.Http.Headers;

namespace Gateway.Cli;

/// <summary>The CLI's way into a running daemon: its REST API with the admin key.</summary>
internal sealed class DaemonClient : IDisposable
{
    private DaemonClient(HttpClient http) => Http = http;

    public HttpClient Http { get; }

    /// <summary>A client if a daemon answers /health at the configured address; null if none runs.</summary>
    public static async Task<DaemonClient?> ConnectAsync(CliSettings settings, CancellationToken cancellationToken)
    {
        var http = new HttpClient { BaseAddress = settings.DaemonUrl, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, probe.Token);
            using var response = await http.GetAsync(new Uri("health", UriKind.Relative), linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                http.Dispose();
                return null;
            }
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            http.Dispose();
            return null;
        }

        if (settings.ApiKey is null)
        {
            http.Dispose();
            throw new InvalidOperationException("A daemon is running but no admin key was found: set GATEWAY_API_KEY or pass --env-file.");
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        return new DaemonClient(http);
    }

    public void Dispose() => Http.Dispose();
}
