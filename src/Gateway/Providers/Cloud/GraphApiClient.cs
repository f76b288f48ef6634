using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Messaging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Gateway.Providers.Cloud;

/// <summary>
/// The few Graph API calls a Cloud tenant needs: send a message, upload media, check the number. 429 and 5xx
/// answers are retried with backoff and jitter, waiting at least as long as Retry-After says.
/// </summary>
public sealed class GraphApiClient
{
    private readonly HttpClient http;
    private readonly CloudApiOptions options;
    private readonly ResiliencePipeline<HttpResponseMessage> retry;

    public GraphApiClient(HttpClient http, IOptions<CloudApiOptions> options, TimeProvider time)
    {
        this.http = http;
        this.options = options.Value;
        retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(0, this.options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException } => true,
                    { Result: { } response } => IsTransient(response.StatusCode) && RetryAfter(response) <= this.options.MaxRetryAfter,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfterOrNull(response) : null),
            })
            .Build();
    }

    /// <summary>Sends a message; returns Meta's message id (wamid...).</summary>
    public async Task<string> SendAsync(CloudCredentials credentials, OutboundMessage message, string? uploadedMediaId, CancellationToken cancellationToken)
    {
        var body = GraphMessageBody.For(message, uploadedMediaId);
        using var response = await SendWithRetryAsync(
            () => Authorized(HttpMethod.Post, $"{credentials.PhoneNumberId}/messages", credentials, JsonContent.Create(body)),
            cancellationToken);
        var json = await ReadSuccessAsync(response, cancellationToken);
        return json?["messages"]?[0]?["id"]?.GetValue<string>()
            ?? throw new CloudApiException(response.StatusCode, null, "The Graph API answered without a message id.");
    }

    /// <summary>Uploads media bytes; returns the media id to send by.</summary>
    public async Task<string> UploadMediaAsync(CloudCredentials credentials, OutboundMedia media, CancellationToken cancellationToken)
    {
        var content = media.Content ?? throw new InvalidOperationException("Only media bytes are uploaded.");
        using var response = await SendWithRetryAsync(
            () =>
            {
                var form = new MultipartFormDataContent
                {
                    { new StringContent("whatsapp"), "messaging_product" },
                    { new StringContent(media.MimeType), "type" },
                };
                var file = new ByteArrayContent(content);
                file.Headers.ContentType = MediaTypeHeaderValue.Parse(media.MimeType);
                form.Add(file, "file", media.FileName ?? "upload");
                return Authorized(HttpMethod.Post, $"{credentials.PhoneNumberId}/media", credentials, form);
            },
            cancellationToken);
        var json = await ReadSuccessAsync(response, cancellationToken);
        return json?["id"]?.GetValue<string>()
            ?? throw new CloudApiException(response.StatusCode, null, "The Graph API answered without a media id.");
    }

    /// <summary>Reads the phone number's display number: proves the token and the phone number id.</summary>
    public async Task<string?> GetDisplayPhoneNumberAsync(CloudCredentials credentials, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetryAsync(
            () => Authorized(HttpMethod.Get, $"{credentials.PhoneNumberId}?fields=display_phone_number,verified_name", credentials, null),
            cancellationToken);
        var json = await ReadSuccessAsync(response, cancellationToken);
        return json?["display_phone_number"]?.GetValue<string>();
    }

    private async Task<HttpResponseMessage> SendWithRetryAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken) =>
        await retry.ExecuteAsync(
            async token =>
            {
                using var message = request();
                return await http.SendAsync(message, token);
            },
            cancellationToken);

    private HttpRequestMessage Authorized(HttpMethod method, string path, CloudCredentials credentials, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, new Uri(options.BaseUrl, $"{options.Version}/{path}")) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.AccessToken);
        return request;
    }

    private static async Task<JsonNode?> ReadSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        JsonNode? json;
        try
        {
            json = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
        }
        catch (JsonException)
        {
            json = null;
        }

        if (response.IsSuccessStatusCode)
        {
            return json;
        }

        var error = json?["error"];
        var code = error?["code"] is JsonValue codeValue && codeValue.TryGetValue<int>(out var parsed) ? parsed : (int?)null;
        var text = error?["message"] is JsonValue messageValue && messageValue.TryGetValue<string>(out var m) ? m : response.ReasonPhrase ?? "error";
        throw new CloudApiException(response.StatusCode, code, text, RetryAfterOrNull(response));
    }

    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static TimeSpan RetryAfter(HttpResponseMessage response) => RetryAfterOrNull(response) ?? TimeSpan.Zero;

    private static TimeSpan? RetryAfterOrNull(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        // Some proxies send a bare number Meta's client libraries also honour.
        return response.Headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }
}
