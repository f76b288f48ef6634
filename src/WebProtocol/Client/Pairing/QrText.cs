using Gateway.WebProtocol.Proto;

namespace Gateway.WebProtocol.Client.Pairing;

/// <summary>The text a QR code carries: what the phone needs to find and trust this device.</summary>
internal static class QrText
{
    private const string Prefix = "https://wa.me/settings/linked_devices#";

    /// <summary><c>prefix + ref,b64(noise pub),b64(identity pub),b64(adv secret),platform id</c> (standard base64).</summary>
    public static string Build(string reference, ReadOnlySpan<byte> noisePublicKey, ReadOnlySpan<byte> identityPublicKey, ReadOnlySpan<byte> advSecret, DeviceProps.Types.PlatformType platform) =>
        string.Concat(
            Prefix,
            string.Join(
                ',',
                reference,
                Convert.ToBase64String(noisePublicKey),
                Convert.ToBase64String(identityPublicKey),
                Convert.ToBase64String(advSecret),
                CompanionPlatformId(platform)));

    /// <summary>CompanionWebClientType as a digit: the phone shows the browser's icon from it.</summary>
    public static string CompanionPlatformId(DeviceProps.Types.PlatformType platform) => platform switch
    {
        DeviceProps.Types.PlatformType.Chrome => "1",
        DeviceProps.Types.PlatformType.Edge => "2",
        DeviceProps.Types.PlatformType.Firefox => "3",
        DeviceProps.Types.PlatformType.Ie => "4",
        DeviceProps.Types.PlatformType.Opera => "5",
        DeviceProps.Types.PlatformType.Safari => "6",
        DeviceProps.Types.PlatformType.Desktop => "7",
        _ => "9",
    };
}
