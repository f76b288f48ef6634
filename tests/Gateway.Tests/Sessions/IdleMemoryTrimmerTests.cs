using Gateway.Configuration;
using Gateway.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Sessions;

/// <summary>When the daemon pays for a compacting collection to give idle tenants' memory back, and when not.</summary>
public sealed class IdleMemoryTrimmerTests
{
    private int open;
    private readonly IdleMemoryTrimmer trimmer;

    public IdleMemoryTrimmerTests()
    {
        trimmer = new IdleMemoryTrimmer(Options.Create(new TenantSessionOptions()), TimeProvider.System, NullLogger<IdleMemoryTrimmer>.Instance);
        trimmer.Track(() => open);
    }

    [Fact]
    public void Trims_once_engines_have_closed_and_the_open_count_fell()
    {
        open = 10;
        Assert.False(trimmer.CheckOnce());
        open = 9;
        trimmer.NoteRelease();
        Assert.True(trimmer.CheckOnce());
        // Nothing closed since: no second collection for the same release.
        open = 2;
        Assert.False(trimmer.CheckOnce());
    }

    [Fact]
    public void Does_not_trim_without_a_release_or_while_the_open_count_holds()
    {
        open = 10;
        Assert.False(trimmer.CheckOnce());
        open = 5;
        Assert.False(trimmer.CheckOnce()); // no engine reported closing
        open = 10;
        trimmer.NoteRelease();
        Assert.False(trimmer.CheckOnce()); // others opened as many as closed: a busy daemon, nothing to give back
    }

    [Fact]
    public void A_busy_daemon_trims_only_when_a_tenth_of_its_peak_has_gone_idle()
    {
        open = 200;
        Assert.False(trimmer.CheckOnce());
        open = 185;
        trimmer.NoteRelease();
        Assert.False(trimmer.CheckOnce());
        open = 180;
        trimmer.NoteRelease();
        Assert.True(trimmer.CheckOnce());
    }

    [Fact]
    public void The_last_idle_tenant_of_a_small_daemon_is_trimmed()
    {
        open = 1;
        Assert.False(trimmer.CheckOnce());
        open = 0;
        trimmer.NoteRelease();
        Assert.True(trimmer.CheckOnce());
    }
}
