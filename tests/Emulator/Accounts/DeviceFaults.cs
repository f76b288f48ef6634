namespace Gateway.Emulator.Accounts;

/// <summary>Standing faults injected into one device's connections through the admin API.</summary>
public sealed class DeviceFaults
{
    private int ignorePings;
    private int refuseLoginReason;
    private long ackDelayTicks;
    private int corruptMessages;

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

    /// <summary>How many of the next messages routed to the device get a tampered ciphertext.</summary>
    public int CorruptMessages
    {
        get => Volatile.Read(ref corruptMessages);
        set => Volatile.Write(ref corruptMessages, Math.Max(0, value));
    }

    /// <summary>Uses up one corruption if any is left.</summary>
    public bool TakeCorruption()
    {
        while (true)
        {
            var left = Volatile.Read(ref corruptMessages);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref corruptMessages, left - 1, left) == left)
            {
                return true;
            }
        }
    }
}
