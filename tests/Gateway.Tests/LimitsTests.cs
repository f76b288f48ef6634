using System.Net;
using System.Net.Http.Json;

namespace Gateway.Tests;

public sealed class LimitsTests
{
    [Fact]
    public async Task Cors_answers_allowed_origins_only()
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?> { ["GATEWAY_ALLOWED_ORIGINS"] = "https://app.example, https://admin.example" });
        using var client = factory.CreateClient(apiKey: null);

        async Task<string?> PreflightAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/sessions");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "authorization");
            using var response = await client.SendAsync(request);
            return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
        }

        Assert.Equal("https://app.example", await PreflightAsync("https://app.example"));
        Assert.Equal("https://admin.example", await PreflightAsync("https://admin.example"));
        Assert.Null(await PreflightAsync("https://evil.example"));
    }

    [Fact]
    public async Task Oversized_body_is_413_problem()
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?> { ["GATEWAY_MAX_BODY_BYTES"] = "1024" });
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);

        using var response = await admin.PostAsJsonAsync("/api/v1/keys", new { tenantId = new string('a', 4096) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_retry_after_and_other_keys_do_not()
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?> { ["GATEWAY_RATE_LIMIT_PER_MINUTE"] = "3" });
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);
        using var anonymous = factory.CreateClient(apiKey: null);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/v1/keys", UriKind.Relative))).StatusCode);
        }

        using var limited = await admin.GetAsync(new Uri("/api/v1/keys", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Without_a_configured_key_one_is_generated_kept_owner_only_and_accepted()
    {
        var sessionsDir = Directory.CreateTempSubdirectory("gateway-tests-").FullName;
        string key;
        using (var first = new GatewayFactory(new Dictionary<string, string?> { ["GATEWAY_API_KEY"] = "" }, sessionsDir))
        {
            using var anonymous = first.CreateClient(apiKey: null);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/api/v1/keys", UriKind.Relative))).StatusCode);
            var path = Path.Combine(sessionsDir, "admin.key");
            key = File.ReadAllText(path).Trim();
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }

        using var second = new GatewayFactory(new Dictionary<string, string?> { ["GATEWAY_API_KEY"] = "" }, sessionsDir);
        using var admin = second.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/v1/keys", UriKind.Relative))).StatusCode);
    }
}
