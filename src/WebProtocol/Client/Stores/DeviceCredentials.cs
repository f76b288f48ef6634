namespace Gateway.WebProtocol.Client.Stores;

/// <summary>
/// Everything one linked device must keep to log in again without a new QR code. Key material is kept as raw
/// bytes (32-byte Curve25519 keys, 64-byte signatures) so the store never depends on a crypto library's types.
/// </summary>
public sealed record DeviceCredentials
{
    public required byte[] NoisePrivateKey { get; init; }
    public required byte[] NoisePublicKey { get; init; }
    public required byte[] IdentityPrivateKey { get; init; }
    public required byte[] IdentityPublicKey { get; init; }
    public required int RegistrationId { get; init; }
    public required int SignedPreKeyId { get; init; }
    public required byte[] SignedPreKeyPrivate { get; init; }
    public required byte[] SignedPreKeyPublic { get; init; }
    public required byte[] SignedPreKeySignature { get; init; }
    public required byte[] AdvSecretKey { get; init; }

    /// <summary>Serialized ADVSignedDeviceIdentity from pair-success; null until paired.</summary>
    public byte[]? AccountIdentity { get; init; }

    /// <summary>This device's phone-number JID (user:device@s.whatsapp.net); null until paired.</summary>
    public string? MePn { get; init; }

    /// <summary>This device's LID JID (user:device@lid); null until the server has told it.</summary>
    public string? MeLid { get; init; }

    public string? Platform { get; init; }
    public string? PushName { get; init; }

    /// <summary>The next one-time prekey id to generate.</summary>
    public int NextPreKeyId { get; init; } = 1;

    /// <summary>The first generated prekey id that the server has not acknowledged yet.</summary>
    public int FirstUnuploadedPreKeyId { get; init; } = 1;

    /// <summary>Edge routing info handed out by the server, replayed on reconnect.</summary>
    public byte[]? RoutingInfo { get; init; }

    public bool Registered { get; init; }
}
