using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Sessions;

/// <summary>
/// Gives memory back to the operating system after idle tenants have let go of it. A tenant's store closes its
/// database engine when unused (its page cache becomes garbage), but an idle daemon allocates almost nothing, so no
/// collection runs, and even after one the runtime keeps the freed memory committed for the next burst. This
/// service runs one aggressive, compacting collection when engines have closed since the last one, at most once per
/// <see cref="TenantSessionOptions.MemoryTrimInterval"/>: resident memory then follows the sessions that are busy,
/// not the busiest moment since the start.
/// </summary>
public sealed class IdleMemoryTrimmer(IOptions<TenantSessionOptions> options, TimeProvider time, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    private int _released;

    /// <summary>Notes that a store closed its engine (called from the store's timer thread).</summary>
    public void NoteRelease() => Volatile.Write(ref _released, 1);

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
                if (Interlocked.Exchange(ref _released, 0) == 1)
                {
                    Trim();
                }
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
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
        logger.LogDebug("Gave idle memory back: GC committed {BeforeMb:F1} MB -> {AfterMb:F1} MB", before / 1048576.0, after / 1048576.0);
    }
}
