using Gateway.Providers.Cloud;
using Gateway.Sessions;
using Gateway.SessionStore;

namespace Gateway.Providers;

/// <summary>The providers this build knows. The web provider arrives with the protocol client.</summary>
internal sealed class ProviderFactory(GraphApiClient graph, TimeProvider time) : IProviderFactory
{
    public IMessagingProvider Create(string tenantId, TenantSettings settings, TenantStore store) => settings.Provider switch
    {
        CloudProvider.ProviderName when settings.Cloud is { } cloud => new CloudProvider(cloud, graph, time),
        CloudProvider.ProviderName => throw new InvalidOperationException($"Tenant '{tenantId}' is a cloud tenant without Cloud API credentials."),
        _ => throw new NotSupportedException("The WhatsApp Web provider is not part of this build yet."),
    };
}
