using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Client.Pairing;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Tests.Signal;
using static Gateway.WebProtocol.Tests.Client.TestNodes;

namespace Gateway.WebProtocol.Tests.Client;

/// <summary>Pairing, login, restart and typed disconnects against a scripted server speaking real Noise.</summary>
public sealed class ConnectionTests
{
    [Fact]
    public async Task Qr_pairing_signs_the_device_restarts_after_515_and_logs_in()
    {
        await using var harness = ClientHarness.Create(1);
        var qr = await harness.StartPairingAsync();
        Assert.Equal("ref-one", qr.Reference);
        Assert.Equal("1", qr.Platform);
        var account = Curve25519.GenerateKeyPair(new SeededRandom(77));
        await harness.Session!.SendAsync(FakePhone.PairSuccess(qr, account, ClientHarness.DeviceJid, ClientHarness.LidJid));

        var reply = await harness.Session.ExpectAsync(node => node.Tag == "iq");
        Assert.Equal("result", reply.GetAttribute("type"));
        Assert.Equal("pair-1", reply.GetAttribute("id"));
        var signedNode = reply.GetChildByPath("pair-device-sign", "device-identity")!;
        Assert.Equal("1", signedNode.GetAttribute("key-index"));
        var signed = ADVSignedDeviceIdentity.Parser.ParseFrom(signedNode.Bytes);
        Assert.False(signed.HasAccountSignatureKey);
        Assert.True(Curve25519.VerifySignature(
            qr.IdentityPublic, [6, 1, .. signed.Details.ToByteArray(), .. qr.IdentityPublic, .. account.PublicKey], signed.DeviceSignature.Span));
        var paired = await harness.NextEventAsync<PairedEvent>();
        Assert.Equal(ClientHarness.DeviceJid, paired.Device.ToString());

        await harness.Session.SendAsync(N("stream:error", ("code", "515")));
        await harness.Session.DisposeAsync();
        var login = await harness.Server.NextSessionAsync();
        Assert.Equal(3u, login.Payload.Device);
        Assert.True(login.Payload.Passive);
        await harness.ServeLoginAsync(login, preKeyCount: 0);
        var connected = await harness.NextEventAsync<ConnectedEvent>();
        Assert.Equal(ClientHarness.LidJid, connected.Lid.ToString());
        Assert.DoesNotContain(harness.Seen, e => e is DisconnectedEvent);
        Assert.Equal(10, harness.Upload!.GetChild("list")!.Children.Count);
        Assert.True(harness.Client.IsConnected);
        await login.DisposeAsync();
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    public async Task A_pair_success_that_fails_a_check_is_refused_and_nothing_is_stored(bool badHmac, bool badSignature, bool noKeyIndex)
    {
        await using var harness = ClientHarness.Create(2);
        var qr = await harness.StartPairingAsync();
        var account = Curve25519.GenerateKeyPair(new SeededRandom(78));
        await harness.Session!.SendAsync(FakePhone.PairSuccess(qr, account, ClientHarness.DeviceJid, ClientHarness.LidJid, badHmac, badSignature, noKeyIndex));
        var reply = await harness.Session.ExpectAsync(node => node.Tag == "iq");
        Assert.Equal("error", reply.GetAttribute("type"));
        var disconnected = await harness.NextEventAsync<DisconnectedEvent>();
        Assert.Equal(DisconnectKind.PairingFailed, disconnected.Reason.Kind);
        Assert.False((await harness.Stores.Credentials.LoadAsync(default))!.Registered);
    }

    [Fact]
    public async Task Unscanned_qr_codes_rotate_through_the_refs_then_end_as_qr_timeout()
    {
        await using var harness = ClientHarness.Create(3, o => o with { FirstQrLifetime = TimeSpan.FromMilliseconds(50), NextQrLifetime = TimeSpan.FromMilliseconds(50) });
        await harness.StartPairingAsync();
        var second = await harness.NextEventAsync<QrCodeEvent>();
        Assert.Equal(2, second.Index);
        Assert.StartsWith("https://wa.me/settings/linked_devices#ref-two,", second.Text, StringComparison.Ordinal);
        var disconnected = await harness.NextEventAsync<DisconnectedEvent>();
        Assert.Equal(DisconnectKind.QrTimeout, disconnected.Reason.Kind);
        Assert.False(disconnected.Reason.ShouldReconnect);
    }

    [Fact]
    public async Task A_restarted_client_logs_in_from_saved_state_without_a_qr()
    {
        await using var harness = ClientHarness.Create(4);
        await harness.PairAndLoginAsync();
        await harness.RestartClientAsync();
        using var timeout = ClientHarness.Timeout();
        var connect = harness.Client.ConnectAsync(timeout.Token);
        var session = await harness.Server.NextSessionAsync();
        Assert.Null(session.Payload.DevicePairingData);
        await harness.ServeLoginAsync(session, preKeyCount: 50);
        Assert.Equal(ConnectOutcome.LoggedIn, await connect);
        Assert.DoesNotContain(harness.Seen, e => e is QrCodeEvent);
        await session.DisposeAsync();
    }

    [Theory]
    [InlineData("401", DisconnectKind.LoggedOut)]
    [InlineData("403", DisconnectKind.Forbidden)]
    [InlineData("503", DisconnectKind.ServerError)]
    public async Task A_refused_login_throws_with_the_typed_reason(string code, DisconnectKind kind)
    {
        await using var harness = ClientHarness.Create(5);
        await harness.PairAndLoginAsync();
        await harness.RestartClientAsync();
        using var timeout = ClientHarness.Timeout();
        var connect = harness.Client.ConnectAsync(timeout.Token);
        var session = await harness.Server.NextSessionAsync();
        await session.SendAsync(N("failure", ("reason", code)));
        var error = await Assert.ThrowsAsync<WaConnectionException>(() => connect);
        Assert.Equal(kind, error.Reason.Kind);
        Assert.Equal(kind == DisconnectKind.ServerError, error.IsTransient);
        await session.DisposeAsync();
    }

    [Theory]
    [InlineData("replaced", DisconnectKind.Replaced, 440)]
    [InlineData("device_removed", DisconnectKind.LoggedOut, 401)]
    public async Task A_conflict_stream_error_ends_the_connection_without_reconnect(string type, DisconnectKind kind, int code)
    {
        await using var harness = ClientHarness.Create(6);
        await harness.PairAndLoginAsync();
        await harness.Session!.SendAsync(N("stream:error", [], N("conflict", ("type", type))));
        var disconnected = await harness.NextEventAsync<DisconnectedEvent>();
        Assert.Equal(kind, disconnected.Reason.Kind);
        Assert.Equal(code, disconnected.Reason.Code);
        Assert.False(disconnected.Reason.ShouldReconnect);
        Assert.False(harness.Client.IsConnected);
    }

    [Fact]
    public async Task A_dropped_socket_is_a_transient_disconnect_and_connecting_again_resumes()
    {
        await using var harness = ClientHarness.Create(7);
        await harness.PairAndLoginAsync();
        await harness.Session!.DisposeAsync();
        var disconnected = await harness.NextEventAsync<DisconnectedEvent>();
        Assert.Equal(DisconnectKind.ConnectionLost, disconnected.Reason.Kind);
        Assert.True(disconnected.Reason.ShouldReconnect);

        using var timeout = ClientHarness.Timeout();
        var connect = harness.Client.ConnectAsync(timeout.Token);
        var session = await harness.Server.NextSessionAsync();
        await harness.ServeLoginAsync(session, preKeyCount: 50);
        Assert.Equal(ConnectOutcome.LoggedIn, await connect);
        await session.DisposeAsync();
    }

    [Fact]
    public async Task A_silent_connection_is_declared_dead_after_keepalive_and_grace()
    {
        await using var harness = ClientHarness.Create(8, o => o with { KeepAliveInterval = TimeSpan.FromMilliseconds(100), KeepAliveGrace = TimeSpan.FromMilliseconds(100) });
        await harness.PairAndLoginAsync();
        // The server neither answers pings nor closes: the socket looks open but nothing arrives. On a busy machine
        // the keepalive loop can wake past the deadline and close before its ping goes out; the death is the point.
        var first = await harness.Session!.ReceiveAsync();
        Assert.True(first is null || first.GetAttribute("xmlns") == "w:p", first?.ToString());
        var disconnected = await harness.NextEventAsync<DisconnectedEvent>();
        Assert.Equal(DisconnectKind.KeepAliveTimeout, disconnected.Reason.Kind);
        Assert.True(disconnected.Reason.ShouldReconnect);
    }

    [Fact]
    public async Task Pings_go_out_every_interval_even_when_the_interval_is_not_a_multiple_of_the_grace()
    {
        // 150 ms interval, 100 ms grace: a loop ticking every min(interval, grace) would ping at 200 ms, leaving
        // 50 ms of the 250 ms limit for the answer.
        var time = new ManualTime();
        await using var harness = ClientHarness.Create(
            12, o => o with { TimeProvider = time, KeepAliveInterval = TimeSpan.FromMilliseconds(150), KeepAliveGrace = TimeSpan.FromMilliseconds(100) });
        await harness.PairAndLoginAsync();
        await Task.Delay(200); // real time: let the keepalive loop arm its first wait

        for (var round = 0; round < 3; round++)
        {
            var ping = harness.Session!.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("xmlns") == "w:p");
            for (var step = 0; step < 15; step++)
            {
                await Task.Delay(5);
                time.Advance(TimeSpan.FromMilliseconds(10));
            }

            await harness.Session.SendAsync(ServerSession.Result(await ping));
            await Task.Delay(50);
        }

        Assert.True(harness.Client.IsConnected);
    }

    [Fact]
    public async Task Pairing_code_flow_derives_the_adv_secret_that_checks_the_pair_success()
    {
        await using var harness = ClientHarness.Create(10);
        await harness.StartPairingAsync();
        var session = harness.Session!;
        using var timeout = ClientHarness.Timeout();
        var request = harness.Client.RequestPairingCodeAsync("15550001111", timeout.Token);
        var hello = await session.ExpectAsync(node => node.Tag == "iq" && node.GetChild("link_code_companion_reg") is not null);
        await session.SendAsync(ServerSession.Result(hello));
        var code = await request;
        Assert.Equal(code, (await harness.NextEventAsync<PairingCodeEvent>()).Code);
        var registration = hello.GetChild("link_code_companion_reg")!;
        Assert.Equal(("15550001111@s.whatsapp.net", "companion_hello"), (registration.GetAttribute("jid"), registration.GetAttribute("stage")));
        var companionEphemeral = PairingCodeCrypto.UnwrapEphemeral(code, registration.GetChild("link_code_pairing_wrapped_companion_ephemeral_pub")!.Bytes);

        // The user typed the code on the phone: the phone answers with its keys.
        var random = new SeededRandom(11);
        var primaryEphemeral = Curve25519.GenerateKeyPair(random);
        var primaryIdentity = Curve25519.GenerateKeyPair(random);
        await session.SendAsync(N("notification", [("from", "@s.whatsapp.net"), ("id", "n-1"), ("type", "link_code_companion_reg")],
            N("link_code_companion_reg", [],
                B("link_code_pairing_ref", "code-ref"u8.ToArray()),
                B("primary_identity_pub", primaryIdentity.PublicKey),
                B("link_code_pairing_wrapped_primary_ephemeral_pub", PairingCodeCrypto.WrapEphemeral(code, primaryEphemeral.PublicKey, random)))));
        var finish = await session.ExpectAsync(node => node.Tag == "iq" && node.GetChild("link_code_companion_reg") is not null);
        await session.SendAsync(ServerSession.Result(finish));
        var finishReg = finish.GetChild("link_code_companion_reg")!;
        Assert.Equal("companion_finish", finishReg.GetAttribute("stage"));
        var bundle = finishReg.GetChild("link_code_pairing_wrapped_key_bundle")!.Bytes!;
        var companionIdentity = finishReg.GetChild("companion_identity_public")!.Bytes!;
        var shared = Curve25519.CalculateAgreement(companionEphemeral, primaryEphemeral.PrivateKey);
        var key = System.Security.Cryptography.HKDF.DeriveKey(
            System.Security.Cryptography.HashAlgorithmName.SHA256, shared, 32, bundle[..32], "link_code_pairing_key_bundle_encryption_key"u8.ToArray());
        var opened = new byte[96];
        using (var gcm = new System.Security.Cryptography.AesGcm(key, 16))
        {
            gcm.Decrypt(bundle[32..44], bundle[44..^16], bundle[^16..], opened);
        }

        var identityShared = Curve25519.CalculateAgreement(companionIdentity, primaryIdentity.PrivateKey);
        var advSecret = System.Security.Cryptography.HKDF.DeriveKey(
            System.Security.Cryptography.HashAlgorithmName.SHA256, [.. shared, .. identityShared, .. opened[64..]], 32, [], "adv_secret"u8.ToArray());

        var account = Curve25519.GenerateKeyPair(random);
        var parts = new FakePhone.QrParts("code-ref", [], companionIdentity, advSecret, "1");
        await session.SendAsync(FakePhone.PairSuccess(parts, account, ClientHarness.DeviceJid, ClientHarness.LidJid));
        var reply = await session.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("id") == "pair-1");
        Assert.Equal("result", reply.GetAttribute("type"));
        Assert.Equal(ClientHarness.DeviceJid, (await harness.NextEventAsync<PairedEvent>()).Device.ToString());
    }

    [Fact]
    public async Task Iq_errors_and_server_pings_are_answered_in_order()
    {
        await using var harness = ClientHarness.Create(9);
        await harness.PairAndLoginAsync();
        await harness.Session!.SendAsync(N("iq", ("from", "@s.whatsapp.net"), ("type", "get"), ("id", "srv-ping"), ("xmlns", "urn:xmpp:ping")));
        var answer = await harness.Session.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("id") == "srv-ping");
        Assert.Equal("result", answer.GetAttribute("type"));
    }
}
