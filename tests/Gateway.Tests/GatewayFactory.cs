using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>The real host in memory, with its own sessions folder and settings a test may override.</summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? services;

    public GatewayFactory(IReadOnlyDictionary<string, string?>? overrides = null, string? sessionsDir = null, Action<IServiceCollection>? services = null)
    {
        this.services = services;
        SessionsDir = sessionsDir ?? Directory.CreateTempSubdirectory("gateway-tests-").FullName;
        settings = new Dictionary<string, string?>
        {
            ["GATEWAY_API_KEY"] = AdminKey,
            ["GATEWAY_SESSIONS_DIR"] = SessionsDir,
            ["GATEWAY_LOGS_DIR"] = Path.Combine(SessionsDir, "logs"),

            // The tests' webhook receivers and media servers listen on loopback; OutboundPolicyTests runs without.
            ["GATEWAY_ALLOW_PRIVATE_TARGETS"] = "true",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
    }

    public string SessionsDir { get; }

    public HttpClient CreateClient(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }
}
