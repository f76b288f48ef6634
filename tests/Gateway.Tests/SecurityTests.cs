using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Gateway.Tests;

public sealed class SecurityTests : IDisposable
{
    private readonly GatewayFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task Health_needs_no_key()
    {
        using var client = factory.CreateClient(apiKey: null);

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Missing_key_is_401_problem_with_bearer_challenge()
    {
        using var client = factory.CreateClient(apiKey: null);

        using var response = await client.GetAsync(new Uri("/api/v1/keys", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Wrong_key_is_401()
    {
        using var client = factory.CreateClient("not-the-key");

        using var response = await client.GetAsync(new Uri("/api/v1/keys", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Admin_key_works_as_bearer_and_as_x_api_key()
    {
        using var bearer = factory.CreateClient(GatewayFactory.AdminKey);
        using var header = factory.CreateClient(apiKey: null);
        header.DefaultRequestHeaders.Add("X-API-Key", GatewayFactory.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync(new Uri("/api/v1/keys", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await header.GetAsync(new Uri("/api/v1/keys", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Tenant_key_is_created_once_refused_admin_routes_and_dies_when_revoked()
    {
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/v1/keys", new { tenantId = "shop-1" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var createdBody = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var secret = createdBody.RootElement.GetProperty("key").GetString()!;
        var id = createdBody.RootElement.GetProperty("id").GetString()!;

        using var tenant = factory.CreateClient(secret);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync(new Uri("/api/v1/keys", UriKind.Relative))).StatusCode);

        var listed = await admin.GetStringAsync(new Uri("/api/v1/keys", UriKind.Relative));
        Assert.Contains("shop-1", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(factory.SessionsDir, "api-keys.json")), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/api/v1/keys/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tenant.GetAsync(new Uri("/api/v1/keys", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData("x\u0000y")]
    [InlineData("this-tenant-id-is-far-too-long-to-be-a-folder-name-on-any-sane-system-at-all")]
    public async Task Invalid_tenant_id_is_400_problem(string tenantId)
    {
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);

        using var response = await admin.PostAsJsonAsync("/api/v1/keys", new { tenantId });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("urn:gateway:problem:invalid-tenant-id", body.RootElement.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("{\"tenantId\": ")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"tenantId\": {\"nested\": [[[[[[]]]]]]}}")]
    public async Task Hostile_json_is_400_problem_not_500(string json)
    {
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await admin.PostAsync(new Uri("/api/v1/keys", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_carry_security_headers()
    {
        using var client = factory.CreateClient(apiKey: null);

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
