namespace Gateway.SessionStore.Tests;

/// <summary>
/// A child process commits pairs (message m-N with outbox event e-N in one unit of work) and reports each commit
/// after it returns; it is killed with SIGKILL at seeded random moments, many times, on the same tenant. After each
/// kill the store must open, hold every reported pair, and hold no half of a pair. The log is checkpointed into the
/// database every thousand pages by SQLite itself, so kills also land in checkpoints.
/// </summary>
public sealed class CrashTests
{
    [Theory]
    [InlineData("write", 50)]
    public async Task Sigkill_at_random_points_loses_no_commit_and_shows_no_half_transaction(string mode, int rounds)
    {
        using var sessions = new TempSessions();
        var random = new Random(20260301);
        var reported = -1;
        for (var round = 0; round < rounds; round++)
        {
            using var child = ChildProcess.Start(mode, sessions.PathName, "crash");
            // Wait for the first commit of this round, then let it run a random while before the kill.
            var first = await child.StandardOutput.ReadLineAsync();
            Assert.StartsWith("committed ", first);
            var killAfter = TimeSpan.FromMilliseconds(random.Next(0, 120));
            var reader = ReadCommitsAsync(child, n => reported = Math.Max(reported, n));
            reported = Math.Max(reported, int.Parse(first!["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            await Task.Delay(killAfter);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            await reader;

            using var store = TenantStore.Open(sessions.PathName, "crash");
            var events = await store.Outbox.ReadPendingAsync(int.MaxValue, CancellationToken.None);
            // Every reported commit is there, in order, with nothing skipped.
            Assert.True(events.Count > reported, $"round {round}: {events.Count} events, commit {reported} was reported");
            Assert.Equal(Enumerable.Range(0, events.Count).Select(n => $"e-{n}"), events.Select(e => e.EventId));
            // The newest event's message exists, and no message exists beyond the newest event.
            Assert.NotNull(await store.Messages.GetByIdAsync($"m-{events.Count - 1}", CancellationToken.None));
            Assert.Null(await store.Messages.GetByIdAsync($"m-{events.Count}", CancellationToken.None));
        }
    }

    private static async Task ReadCommitsAsync(System.Diagnostics.Process child, Action<int> onCommit)
    {
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("committed ", StringComparison.Ordinal))
            {
                onCommit(int.Parse(line["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
