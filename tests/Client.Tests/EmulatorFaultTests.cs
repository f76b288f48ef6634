using System.Diagnostics;
using Gateway.Emulator;
using Gateway.Emulator.Admin;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Types;

namespace Gateway.Client.Tests;

/// <summary>Faults injected by the emulator arrive as the right typed disconnects.</summary>
public sealed class EmulatorFaultTests
{
    [Fact]
    public async Task Dropped_connection_is_transient_and_connecting_again_resumes_messaging()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var ours = await TestClient.PairAsync(emulator, "15550000301");
        await using var peer = await TestClient.PairAsync(emulator, "15550000302");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.True(emulator.Admin.DropConnection(ours.Client.Device.ToString()!));
        var dropped = await ours.Events.WaitForAsync<DisconnectedEvent>();
        Assert.Equal(DisconnectKind.ConnectionLost, dropped.Reason.Kind);
        Assert.True(dropped.Reason.IsTransient);
        Assert.False(ours.Client.IsConnected);

        Assert.Equal(ConnectOutcome.LoggedIn, await ours.Client.ConnectAsync(timeout.Token));
        await ours.Events.WaitForAsync<ConnectedEvent>(skip: 1);
        var sent = await ours.Client.SendTextAsync(new Jid("15550000302", JidServer.User), "after the drop", timeout.Token);
        Assert.Equal("after the drop", (await peer.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == sent)).Message.Text);
        var reply = await peer.Client.SendTextAsync(new Jid("15550000301", JidServer.User), "got it", timeout.Token);
        await ours.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == reply);
        await ours.Events.WaitForAsync<MessageStatusEvent>(e => e.MessageId == sent && e.Status == MessageStatus.Delivered);
    }

    [Fact]
    public async Task Stream_error_440_is_replaced_and_not_transient()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var ours = await TestClient.PairAsync(emulator, "15550000311");

        Assert.True(emulator.Admin.SendStreamError(ours.Client.Device.ToString()!, 440));
        var reason = (await ours.Events.WaitForAsync<DisconnectedEvent>()).Reason;
        Assert.Equal((DisconnectKind.Replaced, 440, false), (reason.Kind, reason.Code, reason.IsTransient));
    }

    [Fact]
    public async Task Stream_error_401_is_logged_out()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var ours = await TestClient.PairAsync(emulator, "15550000321");

        Assert.True(emulator.Admin.SendStreamError(ours.Client.Device.ToString()!, 401));
        var reason = (await ours.Events.WaitForAsync<DisconnectedEvent>()).Reason;
        Assert.Equal((DisconnectKind.LoggedOut, false, true), (reason.Kind, reason.IsTransient, reason.CredentialsInvalid));
    }

    [Fact]
    public async Task Removed_device_is_logged_out_and_its_next_login_is_refused_as_logged_out()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var ours = await TestClient.PairAsync(emulator, "15550000331");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.True(emulator.Admin.RemoveDevice(ours.Client.Device.ToString()!));
        Assert.Equal(DisconnectKind.LoggedOut, (await ours.Events.WaitForAsync<DisconnectedEvent>()).Reason.Kind);

        var refused = await Assert.ThrowsAsync<WaConnectionException>(() => ours.Client.ConnectAsync(timeout.Token));
        Assert.Equal((DisconnectKind.LoggedOut, 401), (refused.Reason.Kind, refused.Reason.Code));
        Assert.False(refused.IsTransient);
    }

    [Fact]
    public async Task Unanswered_pings_end_the_connection_as_keepalive_timeout_within_interval_plus_grace()
    {
        var interval = TimeSpan.FromSeconds(1);
        var grace = TimeSpan.FromSeconds(1);
        await using var emulator = await EmulatorServer.StartAsync();
        await using var ours = await TestClient.PairAsync(emulator, "15550000341", o => o with { KeepAliveInterval = interval, KeepAliveGrace = grace });

        // Pings answered: the connection outlives several intervals. (Grace equal to the interval leaves a whole
        // interval of margin for a pong delayed by a loaded machine.)
        await Task.Delay(interval * 4);
        Assert.Empty(ours.Events.All<DisconnectedEvent>());
        Assert.True(ours.Client.IsConnected);

        var silence = Stopwatch.StartNew();
        Assert.True(emulator.Admin.SetFaults(ours.Client.Device.ToString()!, new FaultSettings(IgnorePings: true)));
        // Detection is checked every min(interval, grace) once nothing arrived for interval + grace; the
        // extra second absorbs scheduling on a loaded machine.
        var reason = (await ours.Events.WaitForAsync<DisconnectedEvent>(timeout: interval + grace + grace + TimeSpan.FromSeconds(1))).Reason;
        silence.Stop();
        Assert.Equal((DisconnectKind.KeepAliveTimeout, true), (reason.Kind, reason.IsTransient));
        // The last pong may have come up to one interval (plus its latency) before the fault, so about grace is the
        // earliest honest verdict; far less would mean the connection was dying before the fault.
        Assert.True(silence.Elapsed >= grace / 2, $"declared dead after only {silence.Elapsed}");
    }
}
