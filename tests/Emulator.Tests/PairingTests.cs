using Gateway.Emulator.Pairing;
using Gateway.WebProtocol.Signal;
using static Gateway.Emulator.Tests.TestNodes;

namespace Gateway.Emulator.Tests;

/// <summary>Registration and QR pairing against a companion written on our own wire layer (strict ADV checks).</summary>
public sealed class PairingTests
{
    [Fact]
    public async Task A_registering_companion_gets_distinct_refs_and_a_strictly_valid_identity()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { QrRefCount = 4 });
        await using var companion = new TestCompanion(emulator);
        await companion.ConnectForRegistrationAsync();

        var pairDevice = await companion.ReceiveAsync(n => n.GetChild("pair-device") is not null);
        var refs = pairDevice.GetRequiredChild("pair-device").GetChildren("ref").Select(r => Convert.ToBase64String(r.Bytes!)).ToList();
        Assert.Equal(4, refs.Distinct().Count());
        Assert.Equal("md", pairDevice.GetAttribute("xmlns"));
        await companion.SendAsync(TestCompanion.Result(pairDevice));

        var firstRef = System.Text.Encoding.UTF8.GetString(pairDevice.GetRequiredChild("pair-device").GetChildren("ref").First().Bytes!);
        var scan = emulator.Admin.ScanQrAsync(companion.QrText(firstRef), "4915112345678", CancellationToken.None);
        var success = await companion.ReceiveAsync(n => n.GetChild("pair-success") is not null);
        var device = success.GetRequiredChild("pair-success").GetRequiredChild("device");
        Assert.Equal("4915112345678:1@s.whatsapp.net", device.GetAttribute("jid"));
        Assert.EndsWith(":1@lid", device.GetAttribute("lid"), StringComparison.Ordinal);

        await companion.SendAsync(companion.CounterSign(success)); // throws unless HMAC and account signature verify
        var paired = await scan;
        Assert.Equal("515", (await companion.ReceiveAsync(n => n.Tag == "stream:error")).GetAttribute("code"));
        Assert.True(await companion.ClosedAsync());
        Assert.Equal(device.GetAttribute("lid"), paired.Lid);
        Assert.Single(emulator.Admin.ListDevices());
    }

    [Fact]
    public async Task Devices_of_one_account_get_increasing_numbers_and_key_indexes()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var first = new TestCompanion(emulator);
        await using var second = new TestCompanion(emulator);

        var one = await first.PairAsync("15551230");
        var two = await second.PairAsync("15551230");

        Assert.Equal("15551230:1@s.whatsapp.net", one.Jid);
        Assert.Equal("15551230:2@s.whatsapp.net", two.Jid);
        Assert.Equal(one.Lid.Split(':')[0], two.Lid.Split(':')[0]);
        Assert.Equal(first.AccountSignatureKey, second.AccountSignatureKey);
    }

    [Fact]
    public async Task A_qr_whose_keys_do_not_match_the_waiting_connection_is_refused()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var companion = new TestCompanion(emulator);
        await using var impostor = new TestCompanion(emulator);
        await companion.ConnectForRegistrationAsync();
        var pairDevice = await companion.ReceiveAsync(n => n.GetChild("pair-device") is not null);
        var firstRef = System.Text.Encoding.UTF8.GetString(pairDevice.GetRequiredChild("pair-device").GetChildren("ref").First().Bytes!);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => emulator.Admin.ScanQrAsync(impostor.QrText(firstRef), "15551231", CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => emulator.Admin.ScanQrAsync(companion.QrText("2@unknown"), "15551231", CancellationToken.None));
        Assert.Empty(emulator.Admin.ListDevices());
    }

    [Fact]
    public async Task A_forged_device_signature_fails_the_pairing()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var companion = new TestCompanion(emulator);
        await companion.ConnectForRegistrationAsync();
        var pairDevice = await companion.ReceiveAsync(n => n.GetChild("pair-device") is not null);
        var firstRef = System.Text.Encoding.UTF8.GetString(pairDevice.GetRequiredChild("pair-device").GetChildren("ref").First().Bytes!);
        var scan = emulator.Admin.ScanQrAsync(companion.QrText(firstRef), "15551232", CancellationToken.None);
        var success = await companion.ReceiveAsync(n => n.GetChild("pair-success") is not null);

        var reply = companion.CounterSign(success);
        var identity = reply.GetChildByPath("pair-device-sign", "device-identity")!.Bytes!;
        var signed = WebProtocol.Proto.ADVSignedDeviceIdentity.Parser.ParseFrom(identity);
        signed.DeviceSignature = Google.Protobuf.ByteString.CopyFrom(Curve25519.CalculateSignature(Curve25519.GenerateKeyPair().PrivateKey, [1, 2, 3]));
        await companion.SendAsync(N("iq", [("to", "@s.whatsapp.net"), ("type", "result"), ("id", success.GetRequiredAttribute("id"))],
            N("pair-device-sign", null, new WebProtocol.Binary.Node("device-identity", null, Google.Protobuf.MessageExtensions.ToByteArray(signed)))));

        await Assert.ThrowsAsync<InvalidOperationException>(() => scan);
        Assert.Equal("401", (await companion.ReceiveAsync(n => n.Tag == "failure")).GetAttribute("reason"));
        Assert.Empty(emulator.Admin.ListDevices());
    }

    [Theory]
    [InlineData("https://wa.me/settings/linked_devices#2@abc,AQID,BAUG,BwgJ,1", "2@abc")]
    [InlineData("2@x,AQID,BAUG,BwgJ", "2@x")]
    public void Qr_text_parses_with_or_without_the_url(string text, string expectedRef)
    {
        var qr = QrCode.Parse(text);
        Assert.Equal(expectedRef, qr.Ref);
        Assert.Equal(new byte[] { 1, 2, 3 }, qr.NoiseKey);
        Assert.Equal(new byte[] { 4, 5, 6 }, qr.IdentityKey);
        Assert.Equal(new byte[] { 7, 8, 9 }, qr.AdvSecret);
    }

    [Theory]
    [InlineData("2@abc,AQID")]
    [InlineData("2@abc,!!,BAUG,BwgJ")]
    public void Malformed_qr_text_is_an_argument_error(string text) =>
        Assert.Throws<ArgumentException>(() => QrCode.Parse(text));
}
