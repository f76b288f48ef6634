namespace Gateway.Emulator.Accounts;

/// <summary>Standing faults injected into one device's connections through the admin API.</summary>
public sealed class DeviceFaults
{
    private int ignorePings;
    private int refuseLoginReason;
    private long ackDelayTicks;

    /// <summary>Pings from the device get no answer (the client should time out).</summary>
    public bool IgnorePings
    {
        get => Volatile.Read(ref ignorePings) != 0;
        set => Volatile.Write(ref ignorePings, value ? 1 : 0);
    }

    /// <summary>When set, logins get <c>&lt;failure reason=N/&gt;</c> instead of success.</summary>
    public int? RefuseLoginReason
    {
        get => Volatile.Read(ref refuseLoginReason) is var r and not 0 ? r : null;
        set => Volatile.Write(ref refuseLoginReason, value ?? 0);
    }

    /// <summary>How long the server waits before acking the device's messages.</summary>
    public TimeSpan AckDelay
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref ackDelayTicks));
        set => Volatile.Write(ref ackDelayTicks, value.Ticks);
    }
}
