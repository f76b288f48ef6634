using System.Net;
using System.Net.Http.Headers;

namespace Gateway.Webhooks;

/// <summary>How one delivery attempt ended.</summary>
public enum AttemptOutcome
{
    Delivered,

    /// <summary>Worth another attempt later: network error, timeout, 408, 429, 5xx.</summary>
    Retry,

    /// <summary>The receiver refused for good (any other 4xx): dead-letter at once.</summary>
    Reject,
}

public sealed record DeliveryAttempt(AttemptOutcome Outcome, int? StatusCode, string? Error, TimeSpan Duration, TimeSpan? RetryAfter);

/// <summary>
/// POSTs one signed delivery and classifies the answer. It never throws for the receiver's faults: the
/// dispatcher decides what to do with a <see cref="DeliveryAttempt"/>. Webhooks set through the API go through
/// <paramref name="callerTargets"/> (the outbound policy's handler); the operator's own through
/// <paramref name="operatorTargets"/>.
/// </summary>
public sealed class WebhookSender(HttpClient callerTargets, HttpClient operatorTargets, TimeProvider time)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>One client for every target, for tests and tools that choose their own.</summary>
    public WebhookSender(HttpClient http, TimeProvider time)
        : this(http, http, time)
    {
    }

    public Task<DeliveryAttempt> SendAsync(WebhookTarget target, string deliveryId, byte[] body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return SendAsync(target.OperatorOwned ? operatorTargets : callerTargets, target.Url, deliveryId, body, target.Secrets, timeout, cancellationToken);
    }

    public Task<DeliveryAttempt> SendAsync(Uri url, string deliveryId, byte[] body, IReadOnlyList<WebhookSecret> secrets, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync(callerTargets, url, deliveryId, body, secrets, timeout, cancellationToken);

    private async Task<DeliveryAttempt> SendAsync(HttpClient http, Uri url, string deliveryId, byte[] body, IReadOnlyList<WebhookSecret> secrets, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in WebhookSignature.Sign(deliveryId, time.GetUtcNow(), body, secrets).All())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = (int)response.StatusCode;
            var outcome = response.IsSuccessStatusCode ? AttemptOutcome.Delivered
                : response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500 ? AttemptOutcome.Retry
                : AttemptOutcome.Reject;
            var retryAfter = response.Headers.RetryAfter?.Delta;
            return new DeliveryAttempt(outcome, status, outcome == AttemptOutcome.Delivered ? null : $"HTTP {status}", time.GetElapsedTime(started), retryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryAttempt(AttemptOutcome.Retry, null, "timed out", time.GetElapsedTime(started), null);
        }
        catch (HttpRequestException error) when (Outbound.GuardedHttpHandler.IsRefusal(error, out _))
        {
            // Nothing was sent; the receiver's address is refused until the operator allows it, so no retry.
            return new DeliveryAttempt(AttemptOutcome.Reject, null, Outbound.TargetNotAllowedException.ProblemSlug, time.GetElapsedTime(started), null);
        }
        catch (HttpRequestException error)
        {
            return new DeliveryAttempt(AttemptOutcome.Retry, null, error.HttpRequestError.ToString(), time.GetElapsedTime(started), null);
        }
    }
}
