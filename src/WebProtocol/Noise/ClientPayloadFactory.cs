using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gateway.WebProtocol.Proto;
using Google.Protobuf;

namespace Gateway.WebProtocol.Noise;

/// <summary>
/// Builds the ClientPayload carried in ClientFinish: registration for a device that is not paired yet,
/// login for a paired one (protocol notes section 2; Baileys validate-connection, whatsmeow clientpayload).
/// </summary>
public static class ClientPayloadFactory
{
    /// <summary>Signal's key type byte for Curve25519 keys.</summary>
    private const byte DjbKeyType = 0x05;

    /// <summary>First connection of a new device: announces its Signal keys so the phone can pair it.</summary>
    public static ClientPayload CreateRegistration(DeviceRegistrationKeys keys, ClientPayloadOptions options)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        RequireLength(keys.IdentityPublicKey, NoiseProtocol.KeyLength, nameof(keys.IdentityPublicKey));
        RequireLength(keys.SignedPreKeyPublicKey, NoiseProtocol.KeyLength, nameof(keys.SignedPreKeyPublicKey));
        RequireLength(keys.SignedPreKeySignature, NoiseProtocol.SignatureLength, nameof(keys.SignedPreKeySignature));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keys.SignedPreKeyId, 0xFF_FFFFu, nameof(keys.SignedPreKeyId));

        Span<byte> registrationId = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(registrationId, keys.RegistrationId);
        Span<byte> preKeyId = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(preKeyId, keys.SignedPreKeyId);

        var payload = CreateBase(options);
        payload.Passive = false;
        payload.Pull = false;
        payload.DevicePairingData = new ClientPayload.Types.DevicePairingRegistrationData
        {
            ERegid = ByteString.CopyFrom(registrationId),
            EKeytype = ByteString.CopyFrom(DjbKeyType),
            EIdent = ByteString.CopyFrom(keys.IdentityPublicKey.Span),
            ESkeyId = ByteString.CopyFrom(preKeyId[1..]),
            ESkeyVal = ByteString.CopyFrom(keys.SignedPreKeyPublicKey.Span),
            ESkeySig = ByteString.CopyFrom(keys.SignedPreKeySignature.Span),
            BuildHash = ByteString.CopyFrom(BuildHash(options.AppVersion)),
            DeviceProps = CreateDeviceProps(options).ToByteString(),
        };
        return payload;
    }

    /// <summary>Every later connection of a paired device, identified by phone number and device number.</summary>
    public static ClientPayload CreateLogin(ulong phoneNumber, uint device, ClientPayloadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfZero(phoneNumber);
        var payload = CreateBase(options);
        payload.Username = phoneNumber;
        payload.Device = device;
        payload.Passive = true;
        payload.Pull = true;
        payload.LidDbMigrated = options.LidDbMigrated;
        return payload;
    }

    /// <summary>MD5 of "primary.secondary.tertiary": the server uses it to recognise the client build.</summary>
    public static byte[] BuildHash((uint Primary, uint Secondary, uint Tertiary) version)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{version.Primary}.{version.Secondary}.{version.Tertiary}");
#pragma warning disable CA5351 // The protocol defines this identifier as MD5; it protects nothing.
        return MD5.HashData(Encoding.ASCII.GetBytes(text));
#pragma warning restore CA5351
    }

    private static ClientPayload CreateBase(ClientPayloadOptions options)
    {
        var payload = new ClientPayload
        {
            ConnectType = ClientPayload.Types.ConnectType.WifiUnknown,
            ConnectReason = ClientPayload.Types.ConnectReason.UserActivated,
            UserAgent = new ClientPayload.Types.UserAgent
            {
                Platform = ClientPayload.Types.UserAgent.Types.Platform.Web,
                AppVersion = new ClientPayload.Types.UserAgent.Types.AppVersion
                {
                    Primary = options.AppVersion.Primary,
                    Secondary = options.AppVersion.Secondary,
                    Tertiary = options.AppVersion.Tertiary,
                },
                Mcc = "000",
                Mnc = "000",
                OsVersion = "0.1",
                Device = "Desktop",
                OsBuildNumber = "0.1",
                ReleaseChannel = ClientPayload.Types.UserAgent.Types.ReleaseChannel.Release,
                LocaleLanguageIso6391 = options.LanguageCode,
                LocaleCountryIso31661Alpha2 = options.CountryCode,
            },
            WebInfo = new ClientPayload.Types.WebInfo
            {
                WebSubPlatform = ClientPayload.Types.WebInfo.Types.WebSubPlatform.WebBrowser,
            },
        };
        if (!string.IsNullOrEmpty(options.PushName))
        {
            payload.PushName = options.PushName;
        }

        return payload;
    }

    private static DeviceProps CreateDeviceProps(ClientPayloadOptions options) => new()
    {
        Os = options.DeviceOs,
        Version = new DeviceProps.Types.AppVersion { Primary = 10, Secondary = 15, Tertiary = 7 },
        PlatformType = options.PlatformType,
        RequireFullSync = options.RequireFullSync,
        HistorySyncConfig = new DeviceProps.Types.HistorySyncConfig
        {
            StorageQuotaMb = 10240,
            InlineInitialPayloadInE2EeMsg = true,
            SupportCallLogHistory = false,
            SupportBotUserAgentChatHistory = true,
            SupportCagReactionsAndPolls = true,
            SupportBizHostedMsg = true,
            SupportRecentSyncChunkMessageCountTuning = true,
            SupportHostedGroupMsg = true,
            SupportFbidBotChatHistory = true,
            SupportMessageAssociation = true,
            SupportGroupHistory = false,
        },
    };

    private static void RequireLength(ReadOnlyMemory<byte> value, int length, string name)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"{name} must be {length} bytes", name);
        }
    }
}
