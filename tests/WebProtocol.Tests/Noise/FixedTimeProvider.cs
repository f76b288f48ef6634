namespace Gateway.WebProtocol.Tests.Noise;

/// <summary>A clock that always reads the same instant; timers still run on the system clock.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
