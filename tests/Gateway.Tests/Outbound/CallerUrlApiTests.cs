using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Emulator;
using Gateway.Providers;
using Gateway.Tests.Sessions;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Tests.Outbound;

/// <summary>
/// A tenant key against the default outbound policy (GATEWAY_ALLOW_PRIVATE_TARGETS unset): URLs that lead inside
/// the host or its networks are refused, nothing is fetched and nothing reaches WhatsApp.
/// </summary>
public sealed class CallerUrlApiTests
{
    private static readonly Dictionary<string, string?> Strict = new() { ["GATEWAY_ALLOW_PRIVATE_TARGETS"] = null };

    [Fact]
    public async Task A_media_url_in_any_internal_form_is_refused_at_the_api()
    {
        await using var target = await LoopbackHttpServer.StartAsync((_, _) => Task.CompletedTask);
        var port = target.BaseUrl.Port;
        var providers = new ScriptedProviderFactory();
        await using var factory = new GatewayFactory(Strict, services: s => s.Replace(ServiceDescriptor.Singleton<IProviderFactory>(providers)));
        using var tenant = await ConnectedTenantAsync(factory, "shop-1");

        string[] hosts = ["127.0.0.1", "localhost", "127.1", "2130706433", "0x7f000001", "[::ffff:127.0.0.1]", "[::1]", "169.254.169.254", "10.0.0.1", "100.64.0.1", "0.0.0.0"];
        foreach (var host in hosts)
        {
            using var send = await tenant.PostAsJsonAsync("/api/v1/messages/shop-1/send", new
            {
                to = "15551234567",
                type = "document",
                mediaUrl = $"http://{host}:{port}/latest/meta-data/",
                fileName = "x.txt",
            });
            var problem = await send.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(send.StatusCode == HttpStatusCode.BadRequest, $"{host}: {send.StatusCode} {problem}");
            Assert.Equal("application/problem+json", send.Content.Headers.ContentType?.MediaType);
            Assert.Equal("urn:gateway:problem:target-not-allowed", problem.GetProperty("type").GetString());
        }

        Assert.Empty(target.Requests);
        Assert.Empty(providers.Sent);
    }

    [Fact]
    public async Task A_tenant_key_cannot_point_its_webhook_inside_but_the_operators_loopback_webhook_works()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var providers = new ScriptedProviderFactory();
        var settings = new Dictionary<string, string?>(Strict)
        {
            ["GATEWAY_WEBHOOK_URL"] = receiver.Url.ToString(),
            ["GATEWAY_WEBHOOK_SECRET"] = "operator-secret",
        };
        await using var factory = new GatewayFactory(settings, services: s => s.Replace(ServiceDescriptor.Singleton<IProviderFactory>(providers)));
        using var tenant = await ConnectedTenantAsync(factory, "shop-1");

        foreach (var url in new[] { "http://169.254.169.254/latest/user-data", receiver.Url.ToString(), "http://[::1]/hook", "http://localhost:9/hook" })
        {
            using var hook = await tenant.PutAsJsonAsync("/api/v1/sessions/shop-1/webhook", new { url });
            Assert.True(hook.StatusCode == HttpStatusCode.BadRequest, url);
            Assert.Equal("urn:gateway:problem:target-not-allowed", (await hook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        }

        using (var send = await tenant.PostAsJsonAsync("/api/v1/messages/shop-1/send", new { to = "15551234567", message = "hello" }))
        {
            Assert.Equal(HttpStatusCode.OK, send.StatusCode);
        }

        // The tenant kept no webhook of its own, so its events went to the operator's, on loopback.
        await Eventually.HoldsAsync(() => receiver.Events("message.sent").Any());
    }

    [Fact]
    public async Task A_media_url_that_redirects_inside_fails_the_message_and_nothing_reaches_whatsapp()
    {
        await using var secret = await LoopbackHttpServer.StartAsync((_, _) => Task.CompletedTask);
        await using var redirecting = await LoopbackHttpServer.StartRedirectingAsync(new Uri(secret.BaseUrl, "latest/meta-data/"), "127.0.0.2");
        await using var emulator = await EmulatorServer.StartAsync();
        await using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["WHATSAPP_WS_URL"] = emulator.WebSocketUrl.ToString(),
            ["WHATSAPP_ROOT_KEY"] = emulator.RootPublicKeyHex,
            ["GATEWAY_ALLOW_PRIVATE_TARGETS"] = "127.0.0.2/32", // the media host is allowed, its redirect target is not
        });
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);
        await Tenants.LinkAsync(admin, emulator, "shop-1", "15550000041");
        await Tenants.LinkAsync(admin, emulator, "peer", "15551234567");

        using var send = await admin.PostAsJsonAsync("/api/v1/messages/shop-1/send", new
        {
            to = "15551234567",
            type = "document",
            mediaUrl = new Uri(redirecting.BaseUrl, "invoice.pdf").ToString(),
            fileName = "invoice.pdf",
        });
        var answer = await send.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(send.StatusCode == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("failed", answer.GetProperty("status").GetString());
        Assert.Equal("target-not-allowed", answer.GetProperty("error").GetString());
        var record = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/messages/shop-1/{answer.GetProperty("messageId").GetString()}");
        Assert.Equal("failed", record.GetProperty("status").GetString());
        Assert.Single(redirecting.Requests);
        Assert.Empty(secret.Requests);
        var device = emulator.Admin.ListDevices().Single(d => d.Jid.StartsWith("15550000041:", StringComparison.Ordinal));
        Assert.Equal(0, device.Sent.GetValueOrDefault("message"));
    }

    private static async Task<HttpClient> ConnectedTenantAsync(GatewayFactory factory, string tenantId)
    {
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);
        using (await admin.PostAsync(new Uri($"/api/v1/sessions/{tenantId}/start", UriKind.Relative), null))
        {
        }

        await Eventually.HoldsAsync(async () => await Tenants.StatusAsync(admin, tenantId) == "connected");
        using var created = await admin.PostAsJsonAsync("/api/v1/keys", new { tenantId });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();
        return factory.CreateClient(key);
    }
}
