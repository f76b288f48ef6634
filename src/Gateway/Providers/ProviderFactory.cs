using Gateway.Providers.Cloud;
using Gateway.Providers.Web;
using Gateway.Sessions;
using Gateway.SessionStore;
using Microsoft.Extensions.Options;

namespace Gateway.Providers;

/// <summary>Makes the provider a tenant's settings name: WhatsApp Web (the default) or Meta's Cloud API.</summary>
internal sealed class ProviderFactory(
    GraphApiClient graph,
    IOptions<WebProviderOptions> web,
    IHttpClientFactory http,
    TimeProvider time,
    ILoggerFactory loggers) : IProviderFactory
{
    public const string MediaFetchClient = "media-fetch";

    public IMessagingProvider Create(string tenantId, TenantSettings settings, TenantStore store) => settings.Provider switch
    {
        CloudProvider.ProviderName when settings.Cloud is { } cloud => new CloudProvider(cloud, graph, time),
        CloudProvider.ProviderName => throw new InvalidOperationException($"Tenant '{tenantId}' is a cloud tenant without Cloud API credentials."),
        _ => new WebProvider(tenantId, store, web.Value, http.CreateClient(MediaFetchClient), time, loggers),
    };
}
