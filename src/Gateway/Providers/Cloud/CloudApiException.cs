using System.Net;

namespace Gateway.Providers.Cloud;

/// <summary>An error answer of the Graph API, with Meta's own code so callers can tell what went wrong.</summary>
public sealed class CloudApiException : Exception
{
    public CloudApiException(HttpStatusCode status, int? code, string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        Status = status;
        Code = code;
        RetryAfter = retryAfter;
    }

    public CloudApiException()
    {
    }

    public CloudApiException(string message)
        : base(message)
    {
    }

    public CloudApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode Status { get; }

    /// <summary>Meta's error code (e.g. 131026 undeliverable, 190 token expired), when the body had one.</summary>
    public int? Code { get; }

    public TimeSpan? RetryAfter { get; }

    public bool IsTransient => Status == HttpStatusCode.TooManyRequests || (int)Status >= 500;
}
