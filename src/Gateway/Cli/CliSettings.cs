using Gateway.Configuration;
using Gateway.Security;

namespace Gateway.Cli;

/// <summary>
/// What the CLI needs to find the daemon and its files: the same GATEWAY_* variables the daemon reads, taken
/// from the environment or from the installed environment file, so `sudo gateway ...` on a droplet just works.
/// </summary>
internal sealed class CliSettings
{
    public const string InstalledEnvironmentFile = "/etc/gateway/gateway.env";

    private CliSettings(GatewayOptions options, string? apiKey, string? storeKey)
    {
        Options = options;
        ApiKey = apiKey;
        StoreKey = storeKey;
    }

    /// <summary>GATEWAY_STORE_KEY, for working on encrypted session files without the daemon.</summary>
    public string? StoreKey { get; }

    public GatewayOptions Options { get; }

    /// <summary>The admin key, if one can be found; the CLI only needs it to talk to a running daemon.</summary>
    public string? ApiKey { get; }

    /// <summary>The first listening address, with a wildcard host turned into loopback.</summary>
    public Uri DaemonUrl
    {
        get
        {
            var first = Options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "http://127.0.0.1:3000";
            first = first.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
            return new Uri(first.TrimEnd('/') + "/");
        }
    }

    public static CliSettings Load(string? envFile = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var file = envFile ?? InstalledEnvironmentFile;
        if (File.Exists(file))
        {
            try
            {
                foreach (var (key, value) in EnvironmentFile.Read(file))
                {
                    values[key] = value;
                }
            }
            catch (UnauthorizedAccessException)
            {
                // Not readable by this user; the process environment may still say enough.
            }
        }

        foreach (var key in new[] { "GATEWAY_API_KEY", "GATEWAY_URLS", "GATEWAY_SESSIONS_DIR", "GATEWAY_LOGS_DIR", "GATEWAY_STORE_KEY" })
        {
            if (Environment.GetEnvironmentVariable(key) is { Length: > 0 } value)
            {
                values[key] = value;
            }
        }

        var options = new GatewayOptions
        {
            Urls = values.GetValueOrDefault("GATEWAY_URLS") ?? new GatewayOptions().Urls,
            SessionsDir = values.GetValueOrDefault("GATEWAY_SESSIONS_DIR") ?? new GatewayOptions().SessionsDir,
        };
        var apiKey = values.GetValueOrDefault("GATEWAY_API_KEY");
        if (string.IsNullOrEmpty(apiKey))
        {
            var generated = Path.Combine(options.SessionsDir, AdminKey.FileName);
            apiKey = File.Exists(generated) ? File.ReadAllText(generated).Trim() : null;
        }

        var storeKey = values.GetValueOrDefault("GATEWAY_STORE_KEY");
        return new CliSettings(options, apiKey, string.IsNullOrEmpty(storeKey) ? null : storeKey);
    }
}
