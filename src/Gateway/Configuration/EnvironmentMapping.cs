namespace Gateway.Configuration;

/// <summary>Maps the documented GATEWAY_* environment variables onto the "Gateway" configuration section.</summary>
internal static class EnvironmentMapping
{
    private static readonly (string Variable, string Key)[] Map =
    [
        ("GATEWAY_API_KEY", nameof(GatewayOptions.ApiKey)),
        ("GATEWAY_URLS", nameof(GatewayOptions.Urls)),
        ("GATEWAY_SESSIONS_DIR", nameof(GatewayOptions.SessionsDir)),
        ("GATEWAY_MAX_BODY_BYTES", nameof(GatewayOptions.MaxRequestBodyBytes)),
        ("GATEWAY_RATE_LIMIT_PER_MINUTE", nameof(GatewayOptions.RequestsPerMinutePerKey)),
        ("GATEWAY_LOGS_DIR", nameof(GatewayOptions.LogsDir)),
    ];

    public static void AddGatewayEnvironment(this ConfigurationManager configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (variable, key) in Map)
        {
            var value = configuration[variable];
            if (!string.IsNullOrEmpty(value))
            {
                values[$"{GatewayOptions.Section}:{key}"] = value;
            }
        }

        // A comma-separated list in one variable becomes an indexed configuration array.
        var origins = configuration["GATEWAY_ALLOWED_ORIGINS"];
        if (!string.IsNullOrWhiteSpace(origins))
        {
            var items = origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < items.Length; i++)
            {
                values[$"{GatewayOptions.Section}:{nameof(GatewayOptions.AllowedOrigins)}:{i}"] = items[i];
            }
        }

        configuration.AddInMemoryCollection(values);
    }
}
