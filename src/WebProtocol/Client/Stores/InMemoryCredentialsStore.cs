namespace Gateway.WebProtocol.Client.Stores;

/// <summary>Process-lifetime credentials, for tests and throwaway sessions.</summary>
public sealed class InMemoryCredentialsStore : ICredentialsStore
{
    private readonly Lock _sync = new();
    private DeviceCredentials? _credentials;

    public Task<DeviceCredentials?> LoadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            return Task.FromResult(_credentials);
        }
    }

    public Task SaveAsync(DeviceCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            _credentials = credentials;
        }
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            var had = _credentials is not null;
            _credentials = null;
            return Task.FromResult(had);
        }
    }
}
