using System.Text.Json;
using Gateway.Interop;
using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Proto;
using Google.Protobuf;

namespace Gateway.WebProtocol.Tests.Noise;

public sealed class ClientPayloadFactoryTests
{
    private static readonly DeviceRegistrationKeys Keys = new(
        RegistrationId: 0x12345678,
        IdentityPublicKey: Filled(0x11, 32),
        SignedPreKeyId: 0x010203,
        SignedPreKeyPublicKey: Filled(0x22, 32),
        SignedPreKeySignature: Filled(0x33, 64));

    private static readonly ClientPayloadOptions Options = new() { PushName = "Tester" };

    [Fact]
    public void Registration_payload_carries_the_device_keys_and_build_hash()
    {
        var payload = ClientPayload.Parser.ParseFrom(ClientPayloadFactory.CreateRegistration(Keys, Options).ToByteArray());

        AssertCommonFields(payload);
        Assert.True(payload.HasPassive);
        Assert.False(payload.Passive);
        Assert.True(payload.HasPull);
        Assert.False(payload.Pull);
        Assert.False(payload.HasUsername);
        Assert.False(payload.HasDevice);
        var data = payload.DevicePairingData;
        Assert.Equal("12345678", Hex(data.ERegid));
        Assert.Equal("05", Hex(data.EKeytype));
        Assert.Equal(new string('1', 64), Hex(data.EIdent));
        Assert.Equal("010203", Hex(data.ESkeyId));
        Assert.Equal(new string('2', 64), Hex(data.ESkeyVal));
        Assert.Equal(new string('3', 128), Hex(data.ESkeySig));
        // MD5("2.3000.1043857760")
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("2.3000.1043857760"u8)),
            Hex(data.BuildHash));
        var props = DeviceProps.Parser.ParseFrom(data.DeviceProps);
        Assert.Equal("Mac OS", props.Os);
        Assert.Equal((10u, 15u, 7u), (props.Version.Primary, props.Version.Secondary, props.Version.Tertiary));
        Assert.Equal(DeviceProps.Types.PlatformType.Chrome, props.PlatformType);
        Assert.True(props.HasRequireFullSync);
        Assert.False(props.RequireFullSync);
        Assert.Equal(10240u, props.HistorySyncConfig.StorageQuotaMb);
    }

    [Fact]
    public void Login_payload_names_the_account_and_device()
    {
        var payload = ClientPayload.Parser.ParseFrom(
            ClientPayloadFactory.CreateLogin(15551234567, 7, Options).ToByteArray());

        AssertCommonFields(payload);
        Assert.Equal(15551234567ul, payload.Username);
        Assert.Equal(7u, payload.Device);
        Assert.True(payload.Passive);
        Assert.True(payload.Pull);
        Assert.True(payload.HasLidDbMigrated);
        Assert.Null(payload.DevicePairingData);
    }

    [Fact]
    public void Push_name_is_left_out_when_not_configured()
    {
        var payload = ClientPayloadFactory.CreateLogin(1, 0, new ClientPayloadOptions());

        Assert.False(payload.HasPushName);
    }

    [Theory]
    [InlineData(31, 32, 64, 1)]
    [InlineData(32, 33, 64, 1)]
    [InlineData(32, 32, 63, 1)]
    [InlineData(32, 32, 64, 0x1000000)]
    public void Registration_rejects_wrong_key_sizes_and_ids(int identity, int preKey, int signature, int preKeyId)
    {
        var keys = new DeviceRegistrationKeys(1, new byte[identity], (uint)preKeyId, new byte[preKey], new byte[signature]);

        Assert.ThrowsAny<ArgumentException>(() => ClientPayloadFactory.CreateRegistration(keys, Options));
    }

    [Fact]
    public async Task Payloads_are_byte_identical_to_stock_Baileys()
    {
        var input = JsonSerializer.Serialize(new
        {
            registrationId = Keys.RegistrationId,
            identityPub = Convert.ToHexStringLower(Keys.IdentityPublicKey.Span),
            signedPreKeyId = Keys.SignedPreKeyId,
            signedPreKeyPub = Convert.ToHexStringLower(Keys.SignedPreKeyPublicKey.Span),
            signedPreKeySig = Convert.ToHexStringLower(Keys.SignedPreKeySignature.Span),
            phone = "15551234567",
            device = 7,
            pushName = Options.PushName,
        });

        var output = await NodeHarness.RunAsync("noise/client-payload.mjs", input);
        using var reference = JsonDocument.Parse(output);

        Assert.Equal(
            reference.RootElement.GetProperty("registration").GetString(),
            Convert.ToHexStringLower(ClientPayloadFactory.CreateRegistration(Keys, Options).ToByteArray()));
        Assert.Equal(
            reference.RootElement.GetProperty("login").GetString(),
            Convert.ToHexStringLower(ClientPayloadFactory.CreateLogin(15551234567, 7, Options).ToByteArray()));
    }

    private static void AssertCommonFields(ClientPayload payload)
    {
        Assert.Equal(ClientPayload.Types.ConnectType.WifiUnknown, payload.ConnectType);
        Assert.Equal(ClientPayload.Types.ConnectReason.UserActivated, payload.ConnectReason);
        Assert.Equal("Tester", payload.PushName);
        var agent = payload.UserAgent;
        Assert.Equal(ClientPayload.Types.UserAgent.Types.Platform.Web, agent.Platform);
        Assert.Equal((2u, 3000u, 1043857760u), (agent.AppVersion.Primary, agent.AppVersion.Secondary, agent.AppVersion.Tertiary));
        Assert.Equal(("000", "000"), (agent.Mcc, agent.Mnc));
        Assert.Equal(("0.1", "Desktop", "0.1"), (agent.OsVersion, agent.Device, agent.OsBuildNumber));
        Assert.True(agent.HasReleaseChannel);
        Assert.Equal(ClientPayload.Types.UserAgent.Types.ReleaseChannel.Release, agent.ReleaseChannel);
        Assert.Equal(("en", "US"), (agent.LocaleLanguageIso6391, agent.LocaleCountryIso31661Alpha2));
        Assert.True(payload.WebInfo.HasWebSubPlatform);
        Assert.Equal(ClientPayload.Types.WebInfo.Types.WebSubPlatform.WebBrowser, payload.WebInfo.WebSubPlatform);
    }

    private static string Hex(ByteString value) => Convert.ToHexStringLower(value.Span);

    private static byte[] Filled(byte value, int length) => Enumerable.Repeat(value, length).ToArray();
}
