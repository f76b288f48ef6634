using Gateway.SessionStore;
using Gateway.WebProtocol.Client;

namespace Gateway.Client.Tests;

/// <summary>A real tenant store in a folder of its own, for a client under test; the folder goes with it.</summary>
internal sealed class TempTenantStore : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "gateway-client-tests", Guid.NewGuid().ToString("N"));

    public TempTenantStore(string tenantId)
    {
        Store = TenantStore.Open(folder, tenantId);
    }

    public TenantStore Store { get; }

    /// <summary>The client's stores over this tenant store, as the gateway hands them.</summary>
    public WaClientStores ClientStores() =>
        new(Store.Credentials, Store.LidMap, Store.DeviceLists, _ => Store.Signal, Store.InboundBuffer, Store.ProtocolTransactions);

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
