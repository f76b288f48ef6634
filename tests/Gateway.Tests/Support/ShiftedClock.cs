namespace Gateway.Tests.Support;

/// <summary>
/// The system clock moved ahead by an offset the test sets: "eight days later" without waiting, while timers and
/// delays keep running in real time (so everything that merely waits on them behaves as usual).
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
