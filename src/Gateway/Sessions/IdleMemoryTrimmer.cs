using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Sessions;

/// <summary>
/// Gives memory back to the operating system after idle tenants have let go of it. A tenant's store closes its
/// database connections when unused (their page caches are freed to the C heap), but an idle daemon allocates almost
/// nothing, so no collection runs, and even after one the runtime keeps the freed memory committed for the next
/// burst, as glibc keeps freed C memory. This service runs one aggressive, compacting collection and trims the C
/// heap (<see cref="NativeHeap"/>) when the number of open stores has fallen clearly (by a tenth
/// of its peak since the last trim, at least one) and at most once per
/// <see cref="TenantSessionOptions.MemoryTrimInterval"/>: resident memory then follows the sessions that are busy,
/// not the busiest moment since the start, while a busy daemon whose tenants come and go is not paused for nothing.
/// </summary>
public sealed class IdleMemoryTrimmer(IOptions<TenantSessionOptions> options, TimeProvider time, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    private Func<int> _openEngines = () => 0;
    private int _released;
    private int _peakOpen;

    /// <summary>Where the trimmer reads how many store engines are open now.</summary>
    public void Track(Func<int> openEngines) => _openEngines = openEngines;

    /// <summary>Notes that a store closed its engine (called from the store's timer thread).</summary>
    public void NoteRelease() => Volatile.Write(ref _released, 1);

    /// <summary>One check: trims when engines have closed and the open count fell clearly below its peak.</summary>
    internal bool CheckOnce()
    {
        var open = _openEngines();
        _peakOpen = Math.Max(_peakOpen, open);
        if (Volatile.Read(ref _released) == 0 || _peakOpen - open < Math.Max(1, _peakOpen / 10))
        {
            return false;
        }
        Volatile.Write(ref _released, 0);
        _peakOpen = open;
        Trim();
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.MemoryTrimInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                CheckOnce();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private void Trim()
    {
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var started = time.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
        var native = NativeHeap.Trim();
        logger.LogDebug("Gave idle memory back in {Milliseconds:F0} ms: GC committed {BeforeMb:F1} MB -> {AfterMb:F1} MB, C heap trimmed: {Native}",
            time.GetElapsedTime(started).TotalMilliseconds, before / 1048576.0, after / 1048576.0, native);
    }
}
