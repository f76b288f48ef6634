namespace Gateway.WebProtocol.Tests.Client;

/// <summary>A clock that moves only when the test says so; timers fire during <see cref="Advance"/>.</summary>
internal sealed class ManualTime : TimeProvider
{
    private readonly DateTimeOffset start = DateTimeOffset.UtcNow;
    private readonly Lock gate = new();
    private readonly List<ManualTimer> timers = [];
    private TimeSpan elapsed;

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return start + elapsed;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (gate)
        {
            return elapsed.Ticks;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on and runs every callback that fell due, in order of due time.</summary>
    public void Advance(TimeSpan by)
    {
        TimeSpan target;
        lock (gate)
        {
            target = elapsed + by;
        }

        while (true)
        {
            ManualTimer? next;
            lock (gate)
            {
                next = timers.Where(t => t.Due <= target).OrderBy(t => t.Due).FirstOrDefault();
                if (next is null)
                {
                    elapsed = target;
                    return;
                }

                elapsed = next.Due > elapsed ? next.Due : elapsed;
                if (next.Period > TimeSpan.Zero)
                {
                    next.Due += next.Period;
                }
                else
                {
                    timers.Remove(next);
                }
            }

            next.Fire();
        }
    }

    private sealed class ManualTimer(ManualTime owner, TimerCallback callback, object? state) : ITimer
    {
        public TimeSpan Due { get; set; }

        public TimeSpan Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner.gate)
            {
                owner.timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }

                Due = owner.elapsed + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                owner.timers.Add(this);
                return true;
            }
        }

        public void Dispose()
        {
            lock (owner.gate)
            {
                owner.timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
