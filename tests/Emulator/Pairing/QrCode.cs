namespace Gateway.Emulator.Pairing;

/// <summary>The fields of a companion's QR text: <c>[url#]ref,noiseKey,identityKey,advSecret,platform</c> (base64).</summary>
internal sealed record QrCode(string Ref, byte[] NoiseKey, byte[] IdentityKey, byte[] AdvSecret)
{
    public static QrCode Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var hash = text.IndexOf('#', StringComparison.Ordinal);
        var parts = text[(hash + 1)..].Split(',');
        if (parts.Length < 4)
        {
            throw new ArgumentException("QR text has fewer than four comma-separated fields", nameof(text));
        }

        try
        {
            return new QrCode(parts[0], Convert.FromBase64String(parts[1]), Convert.FromBase64String(parts[2]), Convert.FromBase64String(parts[3]));
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("QR key fields are not base64", nameof(text), ex);
        }
    }
}
