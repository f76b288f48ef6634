using Gateway.Observability;
using Microsoft.AspNetCore.Http.HttpResults;
using Scalar.AspNetCore;

namespace Gateway.Apis;

/// <summary>Metrics for Prometheus (admin key), the OpenAPI document and its reading UI at /docs (public).</summary>
internal static class OpsApi
{
    public static IEndpointRouteBuilder MapOpsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", GetMetrics).RequireAuthorization(Security.TenantAccessHandler.AdminPolicy).ExcludeFromDescription();
        routes.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        routes.MapScalarApiReference("/docs", options => options.WithTitle("Gateway API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        return routes;
    }

    private static ContentHttpResult GetMetrics(GatewayMetrics metrics) =>
        TypedResults.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8");
}
