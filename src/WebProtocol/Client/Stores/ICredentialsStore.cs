namespace Gateway.WebProtocol.Client.Stores;

/// <summary>The one set of device credentials a tenant has; absent before the first pairing and after logout.</summary>
public interface ICredentialsStore
{
    Task<DeviceCredentials?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the stored credentials as a whole.</summary>
    Task SaveAsync(DeviceCredentials credentials, CancellationToken cancellationToken);

    /// <summary>Forgets the credentials (logout); returns whether there were any.</summary>
    Task<bool> DeleteAsync(CancellationToken cancellationToken);
}
