using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Apis;

internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", GetHealth).AllowAnonymous();
        routes.MapGet("/health/ready", GetReady).AllowAnonymous();
        return routes;
    }

    private static Ok<HealthResponse> GetHealth(TimeProvider time) =>
        TypedResults.Ok(new HealthResponse("ok", time.GetUtcNow()));

    /// <summary>Ready once the tenants found at start have been restored: a load balancer can send traffic.</summary>
    private static Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>> GetReady(TimeProvider time, Sessions.SessionManager sessions) =>
        sessions.Restored
            ? TypedResults.Ok(new HealthResponse("ready", time.GetUtcNow()))
            : TypedResults.Json(new HealthResponse("restoring", time.GetUtcNow()), statusCode: StatusCodes.Status503ServiceUnavailable);

    internal sealed record HealthResponse(string Status, DateTimeOffset Time);
}
