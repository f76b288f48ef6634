using System.Security.Cryptography;
using System.Threading.Channels;
using Gateway.Emulator.Pairing;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Transport;
using Google.Protobuf;

namespace Gateway.Emulator.Tests;

/// <summary>
/// A bare companion built on our wire layer, for emulator tests that need no Node: it registers, pairs
/// (checking the ADV identity for real), logs in and exchanges raw stanzas.
/// </summary>
internal sealed class TestCompanion : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Uri webSocketUrl;
    private readonly byte[] rootPublicKey;
    private readonly Func<string, string, Task<PairedDevice>> scan;
    private NoiseSocket? socket;
    private Channel<Node?> inbox = NewInbox();
    private Task reader = Task.CompletedTask;

    /// <param name="emulator">The emulator to talk to.</param>
    /// <param name="noiseKey">Another companion's noise key, to act as a second connection of the same device.</param>
    public TestCompanion(EmulatorServer emulator, KeyPair? noiseKey = null)
        : this(emulator.WebSocketUrl, emulator.RootPublicKeyHex, (qr, phone) => emulator.Admin.ScanQrAsync(qr, phone, CancellationToken.None), noiseKey)
    {
    }

    /// <param name="webSocketUrl">The emulator's chat endpoint.</param>
    /// <param name="rootPublicKeyHex">The emulator's certificate root.</param>
    /// <param name="scan">How the emulated phone scans a QR text for a phone number (facade or HTTP).</param>
    /// <param name="noiseKey">Another companion's noise key, to act as a second connection of the same device.</param>
    public TestCompanion(Uri webSocketUrl, string rootPublicKeyHex, Func<string, string, Task<PairedDevice>> scan, KeyPair? noiseKey = null)
    {
        this.webSocketUrl = webSocketUrl;
        rootPublicKey = Convert.FromHexString(rootPublicKeyHex);
        this.scan = scan;
        NoiseKey = noiseKey ?? Curve25519.GenerateKeyPair();
        SignedPreKey = Curve25519.GenerateKeyPair();
        SignedPreKeySignature = Curve25519.CalculateSignature(IdentityKey.PrivateKey, Curve25519.ToSignalPublicKey(SignedPreKey.PublicKey));
    }

    public KeyPair NoiseKey { get; }

    public KeyPair IdentityKey { get; } = Curve25519.GenerateKeyPair();

    public KeyPair SignedPreKey { get; }

    public byte[] SignedPreKeySignature { get; }

    public byte[] AdvSecret { get; } = RandomNumberGenerator.GetBytes(32);

    public uint RegistrationId { get; } = (uint)RandomNumberGenerator.GetInt32(1, 0x3FFF);

    /// <summary>The ADV account signature key from pair-success.</summary>
    public byte[] AccountSignatureKey { get; private set; } = [];

    public Task ConnectForRegistrationAsync() =>
        ConnectAsync(ClientPayloadFactory.CreateRegistration(
            new DeviceRegistrationKeys(RegistrationId, IdentityKey.PublicKey, 1, SignedPreKey.PublicKey, SignedPreKeySignature),
            new ClientPayloadOptions()));

    public Task ConnectForLoginAsync(string deviceJid)
    {
        var jid = Gateway.WebProtocol.Types.Jid.Parse(deviceJid);
        return ConnectAsync(ClientPayloadFactory.CreateLogin(ulong.Parse(jid.User, System.Globalization.CultureInfo.InvariantCulture), jid.Device, new ClientPayloadOptions()));
    }

    /// <summary>Registers, lets the emulated phone scan the QR, checks and counter-signs the identity; returns after the 515.</summary>
    public async Task<PairedDevice> PairAsync(string phone)
    {
        await ConnectForRegistrationAsync();
        var pairDevice = await ReceiveAsync(n => n.GetChild("pair-device") is not null);
        await SendAsync(Result(pairDevice));
        var firstRef = System.Text.Encoding.UTF8.GetString(pairDevice.GetRequiredChild("pair-device").GetChildren("ref").First().Bytes!);
        var scanned = scan(QrText(firstRef), phone);
        var success = await ReceiveAsync(n => n.GetChild("pair-success") is not null);
        await SendAsync(CounterSign(success));
        var paired = await scanned;
        var end = await ReceiveAsync(n => n.Tag == "stream:error");
        if (end.GetAttribute("code") != "515")
        {
            throw new InvalidOperationException("pairing did not end with 515");
        }

        await DisconnectAsync();
        return paired;
    }

    public string QrText(string pairingRef) =>
        $"https://wa.me/settings/linked_devices#{pairingRef},{Convert.ToBase64String(NoiseKey.PublicKey)},{Convert.ToBase64String(IdentityKey.PublicKey)},{Convert.ToBase64String(AdvSecret)},1";

    /// <summary>Checks pair-success the strict way (HMAC and account signature) and builds pair-device-sign.</summary>
    public Node CounterSign(Node pairSuccessIq)
    {
        var container = ADVSignedDeviceIdentityHMAC.Parser.ParseFrom(
            pairSuccessIq.GetRequiredChild("pair-success").GetRequiredChild("device-identity").Bytes);
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(AdvSecret, container.Details.Span), container.Hmac.Span))
        {
            throw new InvalidOperationException("pair-success HMAC does not verify");
        }

        var signed = ADVSignedDeviceIdentity.Parser.ParseFrom(container.Details);
        var details = signed.Details.ToByteArray();
        AccountSignatureKey = signed.AccountSignatureKey.ToByteArray();
        if (!Curve25519.VerifySignature(AccountSignatureKey, [6, 0, .. details, .. IdentityKey.PublicKey], signed.AccountSignature.Span))
        {
            throw new InvalidOperationException("pair-success account signature does not verify");
        }

        var keyIndex = ADVDeviceIdentity.Parser.ParseFrom(details).KeyIndex;
        signed.DeviceSignature = ByteString.CopyFrom(Curve25519.CalculateSignature(
            IdentityKey.PrivateKey, [6, 1, .. details, .. IdentityKey.PublicKey, .. AccountSignatureKey]));
        signed.ClearAccountSignatureKey();
        return new Node("iq", new NodeAttributes { ["to"] = "@s.whatsapp.net", ["type"] = "result", ["id"] = pairSuccessIq.GetRequiredAttribute("id") },
        [
            new Node("pair-device-sign", null,
            [
                new Node("device-identity", new NodeAttributes { ["key-index"] = keyIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) }, signed.ToByteArray()),
            ]),
        ]);
    }

    public static Node Result(Node request) =>
        new("iq", new NodeAttributes { ["to"] = "@s.whatsapp.net", ["type"] = "result", ["id"] = request.GetRequiredAttribute("id") });

    public Task SendAsync(Node node) => socket!.SendFrameAsync(NodeFrame.Encode(node), CancellationToken.None);

    /// <summary>The next stanza that matches, skipping others; throws on close or timeout.</summary>
    public async Task<Node> ReceiveAsync(Func<Node, bool>? match = null)
    {
        using var limit = new CancellationTokenSource(Timeout);
        while (true)
        {
            var node = await inbox.Reader.ReadAsync(limit.Token)
                ?? throw new ConnectionException(ConnectionFaultKind.Closed, "the emulator closed the connection", isTransient: true);
            if (match is null || match(node))
            {
                return node;
            }
        }
    }

    /// <summary>True when the server closes the connection (after any stanzas still in flight).</summary>
    public async Task<bool> ClosedAsync()
    {
        using var limit = new CancellationTokenSource(Timeout);
        while (await inbox.Reader.ReadAsync(limit.Token) is not null)
        {
        }

        return true;
    }

    public async Task DisconnectAsync()
    {
        if (socket is not null)
        {
            await socket.DisposeAsync();
            await reader;
            socket = null;
        }
    }

    public ValueTask DisposeAsync() => new(DisconnectAsync());

    /// <summary>Handshake with any ClientPayload (tests of malformed or odd payloads).</summary>
    public async Task ConnectAsync(ClientPayload payload)
    {
        await DisconnectAsync();
        inbox = NewInbox();
        var transport = await WebSocketTransport.ConnectAsync(webSocketUrl, new WebSocketTransportOptions { ReceiveBufferSize = 4096 }, CancellationToken.None);
        var frames = new FrameSocket(transport, FrameSocketRole.Client);
        using var initiator = new NoiseInitiator(NoiseKey, new NoiseCertificateVerifier(rootPublicKey, TimeProvider.System));
        socket = await NoiseHandshake.ConnectAsync(frames, initiator, payload.ToByteArray(), TimeProvider.System, CancellationToken.None);
        var current = socket;
        var box = inbox;
        reader = Task.Run(async () =>
        {
            try
            {
                while (await current.ReceiveFrameAsync(CancellationToken.None) is { } frame)
                {
                    await box.Writer.WriteAsync(NodeFrame.Decode(frame));
                }
            }
            catch (Exception ex) when (ex is ConnectionException or ObjectDisposedException or OperationCanceledException)
            {
                // closed under us
            }

            box.Writer.TryWrite(null);
        });
    }

    private static Channel<Node?> NewInbox() =>
        Channel.CreateUnbounded<Node?>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
}
