using Gateway.Emulator.Admin;
using static Gateway.Emulator.Tests.TestNodes;

namespace Gateway.Emulator.Tests;

/// <summary>Login of paired devices: success with lid, the offline marker, refusals and replacement.</summary>
public sealed class LoginTests
{
    [Fact]
    public async Task A_paired_device_logs_in_with_success_carrying_its_lid_then_the_offline_marker()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var companion = new TestCompanion(emulator);
        var device = await companion.PairAsync("15552000");

        await companion.ConnectForLoginAsync(device.Jid);
        var success = await companion.ReceiveAsync();
        var marker = await companion.ReceiveAsync();

        Assert.Equal("success", success.Tag);
        Assert.Equal(device.Lid, success.GetAttribute("lid"));
        Assert.NotNull(success.GetInt64Attribute("t"));
        Assert.Equal("ib", marker.Tag);
        Assert.Equal("0", marker.GetRequiredChild("offline").GetAttribute("count"));
        Assert.True(emulator.Admin.GetDevice(device.Jid)!.Connected);
    }

    [Fact]
    public async Task An_unknown_device_gets_failure_401()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var companion = new TestCompanion(emulator);

        await companion.ConnectForLoginAsync("15552001:1@s.whatsapp.net");

        Assert.Equal("401", (await companion.ReceiveAsync()).GetAttribute("reason"));
        Assert.True(await companion.ClosedAsync());
    }

    [Fact]
    public async Task A_login_with_another_noise_key_gets_failure_401()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var owner = new TestCompanion(emulator);
        await using var thief = new TestCompanion(emulator);
        var device = await owner.PairAsync("15552002");

        await thief.ConnectForLoginAsync(device.Jid);

        var failure = await thief.ReceiveAsync();
        Assert.Equal("failure", failure.Tag);
        Assert.Equal("401", failure.GetAttribute("reason"));
    }

    [Fact]
    public async Task Refused_logins_get_the_configured_failure_reason()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var companion = new TestCompanion(emulator);
        var device = await companion.PairAsync("15552003");
        Assert.True(emulator.Admin.SetFaults(device.Jid, new FaultSettings(RefuseLoginReason: 403)));

        await companion.ConnectForLoginAsync(device.Jid);

        Assert.Equal("403", (await companion.ReceiveAsync()).GetAttribute("reason"));
        Assert.True(await companion.ClosedAsync());
    }

    [Fact]
    public async Task A_second_login_of_the_same_device_replaces_the_first_with_440()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var (first, device) = await PairAndLoginAsync(emulator, "15552004");
        await using var _ = first;

        // The same noise key on a second connection, as a second process of the same session would have.
        await using var twin = new TestCompanion(emulator, first.NoiseKey);
        await twin.ConnectForLoginAsync(device.Jid);
        Assert.Equal("success", (await twin.ReceiveAsync()).Tag);

        var error = await first.ReceiveAsync(n => n.Tag == "stream:error");
        Assert.Equal("440", error.GetAttribute("code"));
        Assert.Equal("replaced", error.GetRequiredChild("conflict").GetAttribute("type"));
    }

    [Fact]
    public async Task A_payload_with_neither_username_nor_pairing_data_gets_failure_401()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var companion = new TestCompanion(emulator);

        await companion.ConnectAsync(new WebProtocol.Proto.ClientPayload { Passive = false });

        Assert.Equal("401", (await companion.ReceiveAsync()).GetAttribute("reason"));
        Assert.True(await companion.ClosedAsync());
        Assert.Empty(emulator.Admin.ListDevices());
    }

    [Fact]
    public async Task Registration_data_with_keys_of_the_wrong_length_gets_failure_401()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var companion = new TestCompanion(emulator);
        var payload = new WebProtocol.Proto.ClientPayload
        {
            DevicePairingData = new()
            {
                ERegid = Google.Protobuf.ByteString.CopyFrom(1, 2, 3, 4),
                EIdent = Google.Protobuf.ByteString.CopyFrom(1, 2, 3),
                ESkeyId = Google.Protobuf.ByteString.CopyFrom(0, 0, 1),
                ESkeyVal = Google.Protobuf.ByteString.CopyFrom(new byte[32]),
                ESkeySig = Google.Protobuf.ByteString.CopyFrom(new byte[64]),
            },
        };

        await companion.ConnectAsync(payload);

        Assert.Equal("failure", (await companion.ReceiveAsync()).Tag);
        Assert.True(await companion.ClosedAsync());
    }
}
