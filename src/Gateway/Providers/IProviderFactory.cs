using Gateway.Sessions;
using Gateway.SessionStore;

namespace Gateway.Providers;

/// <summary>Makes the provider a tenant's settings ask for, over that tenant's store.</summary>
public interface IProviderFactory
{
    IMessagingProvider Create(string tenantId, TenantSettings settings, TenantStore store);
}
