using System.Text.Json;
using System.Threading.RateLimiting;
using Gateway.Configuration;
using Gateway.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;

namespace Gateway.Hosting;

/// <summary>The host's cross-cutting services: options, keys, auth, CORS, limits, problem details.</summary>
internal static class GatewayServices
{
    public const string CorsPolicy = "allowlist";

    private const string WebhookCallerClient = "webhook-caller";

    private const string WebhookOperatorClient = "webhook-operator";

    public static WebApplicationBuilder AddGatewayServices(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddGatewayEnvironment();
        var section = builder.Configuration.GetSection(GatewayOptions.Section);
        builder.Services.Configure<GatewayOptions>(section);
        var options = section.Get<GatewayOptions>() ?? new GatewayOptions();

        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AdminKey>();
        services.AddSingleton<TenantKeyStore>();

        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, TenantAccessHandler>();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(TenantAccessHandler.AdminPolicy, policy => policy.RequireRole(ApiKeyAuthentication.AdminRole))
            .AddPolicy(TenantAccessHandler.Policy, policy => policy.AddRequirements(new TenantAccessRequirement()));

        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
            policy.WithOrigins([.. options.AllowedOrigins]).AllowAnyHeader().AllowAnyMethod()));

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Meta's webhook is gated by its signature and must not be throttled with the callers of the API.
                if (context.Request.Path.StartsWithSegments("/webhooks/cloud"))
                {
                    return RateLimitPartition.GetNoLimiter("cloud-webhook");
                }

                // Partition by key (hashed, never the key itself); unauthenticated callers by address.
                var key = ApiKeyAuthentication.ReadKey(context.Request);
                var partition = key is null
                    ? "ip:" + context.Connection.RemoteIpAddress
                    : "key:" + Convert.ToHexString(ApiKeyHash.Of(key), 0, 8);
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, options.RequestsPerMinutePerKey),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };
        });

        services.AddSingleton<Observability.GatewayMetrics>();
        services.Configure<TenantSessionOptions>(builder.Configuration.GetSection(TenantSessionOptions.Section));
        services.PostConfigure<TenantSessionOptions>(sessions =>
        {
            sessions.WebhookUrl ??= builder.Configuration["GATEWAY_WEBHOOK_URL"];
            sessions.WebhookSecret ??= builder.Configuration["GATEWAY_WEBHOOK_SECRET"];
            sessions.StoreKey ??= builder.Configuration["GATEWAY_STORE_KEY"];
            sessions.Fsync ??= builder.Configuration[SessionStore.FsyncPolicy.EnvironmentVariable];
        });
        services.Configure<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.Section));
        services.Configure<Providers.Cloud.CloudApiOptions>(builder.Configuration.GetSection(Providers.Cloud.CloudApiOptions.Section));
        services.PostConfigure<Providers.Cloud.CloudApiOptions>(cloud =>
        {
            if (Uri.TryCreate(builder.Configuration["GATEWAY_CLOUD_API_URL"], UriKind.Absolute, out var url))
            {
                cloud.BaseUrl = url;
            }
        });
        services.AddHttpClient<Providers.Cloud.GraphApiClient>();
        var outbound = Outbound.OutboundPolicy.Parse(builder.Configuration[Outbound.OutboundPolicy.EnvironmentVariable]);
        services.AddSingleton(outbound);
        services.AddHttpClient(Providers.ProviderFactory.MediaFetchClient, http => http.Timeout = TimeSpan.FromSeconds(60))
            .ConfigurePrimaryHttpMessageHandler(() => Outbound.GuardedHttpHandler.Create(outbound));
        services.Configure<Providers.Web.WebProviderOptions>(builder.Configuration.GetSection(Providers.Web.WebProviderOptions.Section));
        services.PostConfigure<Providers.Web.WebProviderOptions>(web =>
        {
            if (Uri.TryCreate(builder.Configuration["WHATSAPP_WS_URL"], UriKind.Absolute, out var url))
            {
                web.WebSocketUrl = url;
            }

            web.RootKey ??= builder.Configuration["WHATSAPP_ROOT_KEY"];
        });
        // No IHttpClientFactory logging handlers: they log each delivery's URL (which may carry a receiver's token)
        // and cost a logging scope per delivery, three deliveries per message.
        services.AddHttpClient(WebhookCallerClient, http => http.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => Outbound.GuardedHttpHandler.Create(outbound));
        services.AddHttpClient(WebhookOperatorClient, http => http.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.AddSingleton(provider =>
        {
            var clients = provider.GetRequiredService<IHttpClientFactory>();
            return new Webhooks.WebhookSender(clients.CreateClient(WebhookCallerClient), clients.CreateClient(WebhookOperatorClient), provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<Providers.IProviderFactory, Providers.ProviderFactory>();
        services.AddSingleton<Sessions.IdleMemoryTrimmer>();
        services.AddHostedService(provider => provider.GetRequiredService<Sessions.IdleMemoryTrimmer>());
        services.AddSingleton<Sessions.SessionManager>();
        services.AddHostedService(provider => provider.GetRequiredService<Sessions.SessionManager>());
        services.AddOpenApi();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        return builder;
    }

    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Bad input surfaces as exceptions from model binding and body reading: give them their 4xx.
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                JsonException => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseRequestSizeLimit();
        app.UseCors(CorsPolicy);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }
}
