namespace Gateway.WebProtocol.Noise;

/// <summary>Constants of WhatsApp's Noise profile.</summary>
public static class NoiseProtocol
{
    /// <summary>
    /// The protocol name padded with four NULs to exactly 32 bytes, so it is used as the initial hash as is
    /// (Noise hashes names longer than the hash length only).
    /// </summary>
    public static ReadOnlySpan<byte> ProtocolName => "Noise_XX_25519_AESGCM_SHA256\0\0\0\0"u8;

    /// <summary>WhatsApp's certificate root (XEdDSA public key); the default trust anchor.</summary>
    public static ReadOnlySpan<byte> WhatsAppRootPublicKey =>
    [
        0x14, 0x23, 0x75, 0x57, 0x4d, 0x0a, 0x58, 0x71, 0x66, 0xaa, 0xe7, 0x1e, 0xbe, 0x51, 0x64, 0x37,
        0xc4, 0xa2, 0x8b, 0x73, 0xe3, 0x69, 0x5c, 0x6c, 0xe1, 0xf7, 0xf9, 0x54, 0x5d, 0xa8, 0xee, 0x6b,
    ];

    /// <summary>The root's serial: the intermediate must name it as its issuer.</summary>
    public const uint RootSerial = 0;

    public const int KeyLength = 32;

    public const int SignatureLength = 64;

    public const int TagLength = 16;
}
