using Gateway.Apis;

namespace Gateway.Hosting;

/// <summary>`gateway serve`: the daemon.</summary>
internal static class GatewayHost
{
    public static async Task<int> ServeAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Host.UseSystemd();
        builder.AddGatewayServices();
        builder.AddGatewayLogging();

        var app = builder.Build();
        app.UseGatewayPipeline();
        app.MapHealthApi();
        app.MapKeysApi();
        app.MapOpsApi();
        app.MapSessionsApi();
        app.MapMessagesApi();
        app.MapWebhookApi();
        app.MapCloudWebhookApi();
        app.MapAdminApi();
        await app.RunAsync();
        return 0;
    }
}
