namespace Gateway.Sessions;

/// <summary>Exponential delay with full jitter between reconnect attempts, reset by a successful connection.</summary>
public sealed class ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random random)
{
    public int Attempts { get; private set; }

    public TimeSpan Next()
    {
        Attempts++;
        var ceiling = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(Attempts - 1, 30)), maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((ceiling / 2) + (random.NextDouble() * ceiling / 2));
    }

    public void Reset() => Attempts = 0;
}
