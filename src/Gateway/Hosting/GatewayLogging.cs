using Gateway.Configuration;
using Serilog;
using Serilog.Events;

namespace Gateway.Hosting;

/// <summary>
/// Serilog to the console and to daily rolling files with bounded retention. Request logging records
/// method, route pattern, status and time, never query strings, headers or bodies (they carry keys and text).
/// </summary>
internal static class GatewayLogging
{
    /// <summary>Every line carries the tenant it concerns, when there is one (a logging scope of the session).</summary>
    private const string Template = "[{Level:u3}] {Tenant} {Message:lj}{NewLine}{Exception}";

    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.AddSerilog(logger => logger
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: Template)
            .WriteTo.File(
                Path.Combine(options.LogsDir, "gateway-.log"),
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} " + Template,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: Math.Max(1, options.LogRetainedFileCount),
                fileSizeLimitBytes: 50 * 1024 * 1024,
                rollOnFileSizeLimit: true),
            // Each host keeps its own logger: the process-wide one would send one host's lines to whichever host
            // configured it last (tests run several hosts in one process).
            preserveStaticLogger: true);
        return builder;
    }
}
