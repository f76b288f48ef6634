namespace Gateway.Webhooks;

/// <summary>
/// When to try a failed delivery again: exponential from <see cref="BaseDelay"/>, capped, with full jitter so a
/// receiver coming back is not hit by every tenant at the same second; a Retry-After is never undercut.
/// </summary>
public sealed class RetrySchedule(Random random)
{
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts before an event is dead-lettered (about a day with the defaults).</summary>
    public int MaxAttempts { get; init; } = 150;

    public TimeSpan NextDelay(int failedAttempts, TimeSpan? retryAfter)
    {
        var exponent = Math.Min(Math.Max(failedAttempts - 1, 0), 30);
        var ceiling = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        var jittered = TimeSpan.FromMilliseconds((ceiling / 2) + (random.NextDouble() * ceiling / 2));
        return retryAfter is { } wait && wait > jittered ? (wait < MaxDelay ? wait : MaxDelay) : jittered;
    }

    public bool IsExhausted(int failedAttempts) => failedAttempts >= MaxAttempts;
}
