using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Tests.Sessions;

/// <summary>What the session and message endpoints do with bad input and with keys of the wrong tenant.</summary>
public sealed class ApiInputTests : IAsyncLifetime
{
    private readonly ScriptedProviderFactory providers = new();
    private GatewayFactory factory = null!;
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        factory = new GatewayFactory(services: s => s.Replace(ServiceDescriptor.Singleton<IProviderFactory>(providers)));
        admin = factory.CreateClient(GatewayFactory.AdminKey);
        using var started = await admin.PostAsync(new Uri("/api/v1/sessions/shop-1/start", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
    }

    public async Task DisposeAsync()
    {
        admin.Dispose();
        await factory.DisposeAsync();
    }

    [Fact]
    public async Task A_tenant_key_reaches_its_tenant_only()
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/keys", new { tenantId = "shop-1" });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();
        using var tenant = factory.CreateClient(key);
        using var other = await admin.PostAsync(new Uri("/api/v1/sessions/shop-2/start", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync(new Uri("/api/v1/sessions/shop-1/status", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync(new Uri("/api/v1/sessions/shop-2/status", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.PostAsJsonAsync("/api/v1/messages/shop-2/send", new { to = "15551234567", message = "x" })).StatusCode);
        var listed = await tenant.GetFromJsonAsync<JsonElement>("/api/v1/sessions");
        Assert.Equal(["shop-1"], listed.EnumerateArray().Select(s => s.GetProperty("tenantId").GetString()));
    }

    [Theory]
    [InlineData("/api/v1/sessions/..%2Fx/status")]
    [InlineData("/api/v1/sessions/a.b/status")]
    [InlineData("/api/v1/sessions/a%20b/status")]
    [InlineData("/api/v1/messages/..%2F..%2Fetc/send")]
    public async Task Path_tricks_in_the_tenant_id_are_400_and_create_nothing(string path)
    {
        using var response = path.EndsWith("/send", StringComparison.Ordinal)
            ? await admin.PostAsJsonAsync(path, new { to = "15551234567", message = "x" })
            : await admin.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["shop-1"], Directory.GetDirectories(factory.SessionsDir).Select(Path.GetFileName).Where(n => n != "logs"));
    }

    [Theory]
    [InlineData("{\"to\":\"12\",\"message\":\"x\"}", "to")]
    [InlineData("{\"to\":\"15551234567\",\"type\":\"image\",\"mediaBase64\":\"AAAA\",\"mimeType\":\"application/x-msdownload\"}", "mimeType")]
    [InlineData("{\"to\":\"15551234567\",\"type\":\"hologram\",\"message\":\"x\"}", "type")]
    [InlineData("{\"to\":\"15551234567\",\"type\":\"template\",\"template\":{\"name\":\"a\",\"language\":\"en\"}}", "type")]
    public async Task Invalid_sends_are_400_with_the_field(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync(new Uri("/api/v1/messages/shop-1/send", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_ten_megabyte_text_is_refused_without_reaching_the_provider()
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/messages/shop-1/send", new { to = "15551234567", message = new string('x', 10 * 1024 * 1024) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"to\": [1, 2]}")]
    [InlineData("")]
    public async Task Malformed_json_is_400_problem(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync(new Uri("/api/v1/messages/shop-1/send", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_tenants_and_messages_are_404_problems()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri("/api/v1/sessions/nobody/status", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/v1/messages/nobody/send", new { to = "15551234567", message = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri("/api/v1/messages/shop-1/3EB0UNKNOWN", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri("/api/v1/sessions/shop-1/qr", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Webhook_settings_refuse_bad_urls_and_unknown_events_and_rotate_secrets()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/v1/sessions/shop-1/webhook", new { url = "ftp://x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/v1/sessions/shop-1/webhook", new { url = "https://app.example/hook", events = new[] { "message", "everything" } })).StatusCode);

        var first = await (await admin.PutAsJsonAsync("/api/v1/sessions/shop-1/webhook", new { url = "https://app.example/hook" })).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await admin.PutAsJsonAsync("/api/v1/sessions/shop-1/webhook", new { url = "https://app.example/hook", events = new[] { "message" } })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.StartsWith("whsec_", first.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(first.GetProperty("secret").GetString(), second.GetProperty("secret").GetString());
        var status = await admin.GetStringAsync(new Uri("/api/v1/sessions/shop-1/status", UriKind.Relative));
        Assert.DoesNotContain("whsec_", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_refuses_a_tenant_another_owner_holds_and_keeps_its_folder()
    {
        using var held = Gateway.SessionStore.TenantStore.Open(factory.SessionsDir, "held-1");

        using var response = await admin.DeleteAsync(new Uri("/api/v1/sessions/held-1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.True(Directory.Exists(Path.Combine(factory.SessionsDir, "held-1")));
    }

    [Fact]
    public async Task Stop_keeps_the_tenant_and_delete_removes_its_folder()
    {
        var stopped = await (await admin.PostAsync(new Uri("/api/v1/sessions/shop-1/stop", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("stopped", stopped.GetProperty("status").GetString());
        Assert.True(Directory.Exists(Path.Combine(factory.SessionsDir, "shop-1")));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri("/api/v1/sessions/shop-1", UriKind.Relative))).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(factory.SessionsDir, "shop-1")));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri("/api/v1/sessions/shop-1/status", UriKind.Relative))).StatusCode);
    }
}
