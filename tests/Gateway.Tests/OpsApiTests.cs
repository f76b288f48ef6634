using System.Net;
using System.Text.Json;
using Gateway.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

public sealed class OpsApiTests : IDisposable
{
    private readonly GatewayFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task Metrics_need_the_admin_key_and_speak_prometheus_text()
    {
        factory.Services.GetRequiredService<GatewayMetrics>().Increment(MetricNames.MessagesOut, "Messages sent.", GatewayMetrics.Label("provider", "web"), 3);
        using var anonymous = factory.CreateClient(apiKey: null);
        using var admin = factory.CreateClient(GatewayFactory.AdminKey);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        using var response = await admin.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE gateway_messages_out_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("gateway_messages_out_total{provider=\"web\"} 3\n", text, StringComparison.Ordinal);
        // The runtime's own counters, read at scrape time: this process has allocated and used CPU by now.
        Assert.Contains("# TYPE dotnet_gc_allocated_bytes_total counter\n", text, StringComparison.Ordinal);
        Assert.Matches(@"\ndotnet_gc_allocated_bytes_total [1-9][0-9]*\n", text);
        Assert.Matches(@"\nprocess_cpu_seconds_total [0-9.E+-]+\n", text);
        Assert.Contains("dotnet_gc_collections_total{generation=\"2\"} ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_document_and_docs_page_are_served_without_a_key()
    {
        using var client = factory.CreateClient(apiKey: null);

        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/api/v1/keys", out _));
        using var docs = await client.GetAsync(new Uri("/docs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("html", docs.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_values_are_escaped() =>
        Assert.Equal("a=\"x\\\"y\\\\z\\n\"", GatewayMetrics.Label("a", "x\"y\\z\n"));
}
