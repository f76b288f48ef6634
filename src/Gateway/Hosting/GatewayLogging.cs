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
    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.AddSerilog(logger => logger
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console()
            .WriteTo.File(
                Path.Combine(options.LogsDir, "gateway-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: Math.Max(1, options.LogRetainedFileCount),
                fileSizeLimitBytes: 50 * 1024 * 1024,
                rollOnFileSizeLimit: true));
        return builder;
    }
}
