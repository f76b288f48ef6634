using System.Net;
using System.Net.Http.Json;
using Gateway.Emulator.Accounts;
using Gateway.Emulator.Admin;
using Gateway.Emulator.Pairing;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Types;

namespace Gateway.Emulator.Tests;

/// <summary>Devices linked before the emulator started (stored credentials from elsewhere) told to a fresh emulator.</summary>
public sealed class AdoptionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_device_adopted_from_its_stored_credentials_logs_in_without_a_qr_and_gets_messages()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var stores = WaClientStores.InMemory();
        await using (var earlier = await EmulatorServer.StartAsync())
        {
            await using var first = Client(earlier, stores);
            Assert.Equal(ConnectOutcome.AwaitingPairing, await first.ConnectAsync(timeout.Token));
            var qr = await NextAsync<QrCodeEvent>(first, timeout.Token);
            await earlier.Admin.ScanQrAsync(qr.Text, "15554000", timeout.Token);
            await NextAsync<ConnectedEvent>(first, timeout.Token);
        }

        await using var emulator = await EmulatorServer.StartAsync();
        var creds = (await stores.Credentials.LoadAsync(timeout.Token))!;
        var adopted = emulator.Admin.AdoptDevice(Facts(creds));
        Assert.Equal((creds.MePn, creds.MeLid), (adopted.Jid, adopted.Lid));

        await using var client = Client(emulator, stores);
        Assert.Equal(ConnectOutcome.LoggedIn, await client.ConnectAsync(timeout.Token));
        var connected = await NextAsync<ConnectedEvent>(client, timeout.Token);
        Assert.Equal(creds.MeLid, connected.Lid?.ToString());
        Assert.True(emulator.Admin.GetDevice(adopted.Jid)!.Connected);

        // A peer paired here fetches the adopted device's keys (uploaded at its login) and reaches it.
        await using var peer = Client(emulator, WaClientStores.InMemory());
        await peer.ConnectAsync(timeout.Token);
        await emulator.Admin.ScanQrAsync((await NextAsync<QrCodeEvent>(peer, timeout.Token)).Text, "15554001", timeout.Token);
        await NextAsync<ConnectedEvent>(peer, timeout.Token);
        var id = await peer.SendTextAsync(new Jid("15554000", JidServer.User), "after the restart", timeout.Token);
        var received = await NextAsync<MessageReceivedEvent>(client, timeout.Token, e => e.Message.Id == id);
        Assert.Equal("after the restart", received.Message.Text);
    }

    [Fact]
    public async Task Adoption_refuses_a_lid_of_another_phone_a_device_number_in_use_and_a_foreign_signed_prekey_also_over_http()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var companion = new TestCompanion(emulator);
        var paired = await companion.PairAsync("15554010");
        var facts = new AdoptedDevice("15554011:1@s.whatsapp.net", "88800011:1@lid", companion.NoiseKey.PublicKey,
            companion.IdentityKey.PublicKey, companion.RegistrationId,
            new SignedPreKey(1, companion.SignedPreKey.PublicKey, companion.SignedPreKeySignature), KeyIndex: 1);

        Assert.Throws<InvalidOperationException>(() => emulator.Admin.AdoptDevice(facts with { Lid = Jid.Parse(paired.Lid).WithDevice(1).ToString() }));
        Assert.Throws<InvalidOperationException>(() => emulator.Admin.AdoptDevice(facts with { Jid = paired.Jid, Lid = paired.Lid }));
        Assert.Throws<ArgumentException>(() => emulator.Admin.AdoptDevice(facts with { IdentityKey = companion.NoiseKey.PublicKey }));
        Assert.Throws<ArgumentException>(() => emulator.Admin.AdoptDevice(facts with { Lid = "88800011:2@lid" }));

        // The HTTP admin API takes the same facts (keys in base64).
        using var http = new HttpClient { BaseAddress = new Uri(emulator.AdminUrl + "/") };
        var adopted = await http.PostAsJsonAsync("adopt", facts);
        Assert.Equal(HttpStatusCode.OK, adopted.StatusCode);
        Assert.Equal("88800011:1@lid", (await adopted.Content.ReadFromJsonAsync<PairedDevice>())!.Lid);
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsJsonAsync("adopt", facts)).StatusCode);
        Assert.Equal(2, emulator.Admin.ListDevices().Count);
    }

    /// <summary>What the server knew of the device, read from the credentials it stored.</summary>
    private static AdoptedDevice Facts(DeviceCredentials creds)
    {
        var signed = ADVSignedDeviceIdentity.Parser.ParseFrom(creds.AccountIdentity);
        var keyIndex = ADVDeviceIdentity.Parser.ParseFrom(signed.Details).KeyIndex;
        return new AdoptedDevice(creds.MePn!, creds.MeLid!, creds.NoisePublicKey, creds.IdentityPublicKey, (uint)creds.RegistrationId,
            new SignedPreKey((uint)creds.SignedPreKeyId, creds.SignedPreKeyPublic, creds.SignedPreKeySignature), keyIndex);
    }

    private static WaClient Client(EmulatorServer emulator, WaClientStores stores) => new(
        new WaClientOptions
        {
            WebSocketUrl = emulator.WebSocketUrl,
            RootPublicKey = Convert.FromHexString(emulator.RootPublicKeyHex),
            InitialPreKeyCount = 30,
        },
        stores);

    private static async Task<T> NextAsync<T>(WaClient client, CancellationToken cancellationToken, Func<T, bool>? match = null)
        where T : WaEvent
    {
        while (true)
        {
            var next = await client.Events.ReadAsync(cancellationToken);
            if (next is T typed && (match is null || match(typed)))
            {
                return typed;
            }

            Assert.False(next is QrCodeEvent, "a QR code where a login was expected");
            Assert.False(next is DisconnectedEvent, $"disconnected: {(next as DisconnectedEvent)?.Reason}");
        }
    }
}
