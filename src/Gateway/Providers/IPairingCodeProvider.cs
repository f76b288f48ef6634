namespace Gateway.Providers;

/// <summary>A provider that can link by an 8-character code typed on the phone instead of a QR.</summary>
public interface IPairingCodeProvider
{
    Task<string> RequestPairingCodeAsync(string phoneNumber, CancellationToken cancellationToken);
}
