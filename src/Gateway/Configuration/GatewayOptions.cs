namespace Gateway.Configuration;

/// <summary>
/// The daemon's settings. Every property can be set through an environment variable of the same meaning
/// (GATEWAY_API_KEY, GATEWAY_SESSIONS_DIR, ...) or through appsettings.json under "Gateway".
/// </summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>The admin key. When empty, one is generated at first start and kept in the sessions folder.</summary>
    public string? ApiKey { get; set; }

    public string Urls { get; set; } = "http://127.0.0.1:3000";

    public string SessionsDir { get; set; } = "./sessions";

    /// <summary>Origins allowed by CORS; none by default, so browsers cannot call the API cross-site.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];

    /// <summary>Largest request body accepted, in bytes. Base64 media needs room; anything else is small.</summary>
    public long MaxRequestBodyBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Requests per minute one API key may make before it gets 429.</summary>
    public int RequestsPerMinutePerKey { get; set; } = 600;

    public string LogsDir { get; set; } = "./logs";

    public int LogRetainedFileCount { get; set; } = 14;
}
