using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Messaging;
using Gateway.Providers.Cloud;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Cloud;

public sealed class GraphApiClientTests : IAsyncLifetime
{
    private static readonly CloudCredentials Credentials = new("1090001", "EAAG-token-secret", "app-secret", "verify-me");
    private FakeGraphServer graph = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        graph = await FakeGraphServer.StartAsync();
        http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await graph.DisposeAsync();
    }

    [Fact]
    public async Task Text_is_sent_as_meta_documents_it_with_the_bearer_token()
    {
        var id = await Client().SendAsync(Credentials, Message(MessageKind.Text, text: "hello"), null, CancellationToken.None);

        Assert.Equal("wamid.fake1", id);
        var request = Assert.Single(graph.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v21.0/1090001/messages", request.PathAndQuery);
        Assert.Equal("Bearer EAAG-token-secret", request.Header("Authorization"));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("whatsapp", body.RootElement.GetProperty("messaging_product").GetString());
        Assert.Equal("15551234567", body.RootElement.GetProperty("to").GetString());
        Assert.Equal("text", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("hello", body.RootElement.GetProperty("text").GetProperty("body").GetString());
    }

    [Fact]
    public async Task Image_by_link_carries_link_and_caption()
    {
        var media = new OutboundMedia("image/jpeg", null, new Uri("https://cdn.example/cat.jpg"), null);

        await Client().SendAsync(Credentials, Message(MessageKind.Image, caption: "a cat", media: media), null, CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(graph.Requests).Body);
        var image = body.RootElement.GetProperty("image");
        Assert.Equal("https://cdn.example/cat.jpg", image.GetProperty("link").GetString());
        Assert.Equal("a cat", image.GetProperty("caption").GetString());
    }

    [Fact]
    public async Task Document_bytes_are_uploaded_then_sent_by_media_id_with_filename()
    {
        var client = Client();
        var media = new OutboundMedia("application/pdf", Encoding.ASCII.GetBytes("%PDF-1.4 test"), null, "invoice.pdf");

        var mediaId = await client.UploadMediaAsync(Credentials, media, CancellationToken.None);
        await client.SendAsync(Credentials, Message(MessageKind.Document, media: media), mediaId, CancellationToken.None);

        var requests = graph.Requests.ToArray();
        Assert.Equal("/v21.0/1090001/media", requests[0].PathAndQuery);
        Assert.StartsWith("multipart/form-data", requests[0].Header("Content-Type"), StringComparison.Ordinal);
        Assert.Contains("%PDF-1.4 test", Encoding.ASCII.GetString(requests[0].Body), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(requests[1].Body);
        var document = body.RootElement.GetProperty("document");
        Assert.Equal("media-4711", document.GetProperty("id").GetString());
        Assert.Equal("invoice.pdf", document.GetProperty("filename").GetString());
    }

    [Fact]
    public async Task Template_carries_name_language_and_components()
    {
        using var components = JsonDocument.Parse("""[{"type":"body","parameters":[{"type":"text","text":"42"}]}]""");
        var template = new TemplateContent("order_update", "en_US", components.RootElement.Clone());

        await Client().SendAsync(Credentials, new OutboundMessage("m1", To(), MessageKind.Template, null, null, null, template), null, CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(graph.Requests).Body);
        var sent = body.RootElement.GetProperty("template");
        Assert.Equal("order_update", sent.GetProperty("name").GetString());
        Assert.Equal("en_US", sent.GetProperty("language").GetProperty("code").GetString());
        Assert.Equal("42", sent.GetProperty("components")[0].GetProperty("parameters")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_then_retried()
    {
        graph.Enqueue(429, """{"error":{"message":"(#130429) Rate limit hit","code":130429}}""", new Dictionary<string, string> { ["Retry-After"] = "1" });

        var id = await Client().SendAsync(Credentials, Message(MessageKind.Text, text: "hi"), null, CancellationToken.None);

        Assert.Equal("wamid.fake1", id);
        var requests = graph.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(950), "the retry came before Retry-After allowed");
    }

    [Fact]
    public async Task A_retry_after_beyond_the_budget_fails_at_once_with_the_wait_in_the_error()
    {
        graph.Enqueue(429, """{"error":{"message":"slow down","code":130429}}""", new Dictionary<string, string> { ["Retry-After"] = "3600" });

        var error = await Assert.ThrowsAsync<CloudApiException>(() => Client().SendAsync(Credentials, Message(MessageKind.Text, text: "hi"), null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.Status);
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Single(graph.Requests);
    }

    [Fact]
    public async Task A_meta_error_is_typed_with_its_code_and_not_retried()
    {
        graph.Enqueue(400, """{"error":{"message":"(#131030) Recipient phone number not in allowed list","type":"OAuthException","code":131030,"fbtrace_id":"x"}}""");

        var error = await Assert.ThrowsAsync<CloudApiException>(() => Client().SendAsync(Credentials, Message(MessageKind.Text, text: "hi"), null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal(131030, error.Code);
        Assert.False(error.IsTransient);
        Assert.Single(graph.Requests);
        Assert.DoesNotContain("EAAG-token-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_number_check_reads_the_display_number()
    {
        Assert.Equal("+1 555-000-1111", await Client().GetDisplayPhoneNumberAsync(Credentials, CancellationToken.None));
        Assert.StartsWith("/v21.0/1090001?fields=", Assert.Single(graph.Requests).PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_do_not_print_their_secrets() =>
        Assert.DoesNotContain("EAAG-token-secret", Credentials.ToString(), StringComparison.Ordinal);

    private GraphApiClient Client() =>
        new(http, Options.Create(new CloudApiOptions { BaseUrl = graph.BaseUrl }), TimeProvider.System);

    private static Recipient To() => Recipient.TryParse("+1 555 123 4567", out var to) ? to : throw new InvalidOperationException();

    private static OutboundMessage Message(MessageKind kind, string? text = null, string? caption = null, OutboundMedia? media = null) =>
        new("m1", To(), kind, text, caption, media, null);
}
