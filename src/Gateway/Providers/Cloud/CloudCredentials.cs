namespace Gateway.Providers.Cloud;

/// <summary>A tenant's Cloud API settings. The token and app secret never leave through ToString or logs.</summary>
public sealed record CloudCredentials(string PhoneNumberId, string AccessToken, string AppSecret, string VerifyToken)
{
    public override string ToString() => $"CloudCredentials {{ PhoneNumberId = {PhoneNumberId}, AccessToken = ***, AppSecret = ***, VerifyToken = *** }}";
}

/// <summary>Where the Graph API is and how patient to be with it.</summary>
public sealed class CloudApiOptions
{
    public const string Section = "Gateway:CloudApi";

    public Uri BaseUrl { get; set; } = new("https://graph.facebook.com/");

    public string Version { get; set; } = "v21.0";

    /// <summary>Retries after a 429 or 5xx before the send fails.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>A Retry-After longer than this is not waited for: the send fails and says so.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}
