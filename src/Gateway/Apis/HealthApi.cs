using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Apis;

internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", GetHealth).AllowAnonymous();
        return routes;
    }

    private static Ok<HealthResponse> GetHealth(TimeProvider time) =>
        TypedResults.Ok(new HealthResponse("ok", time.GetUtcNow()));

    internal sealed record HealthResponse(string Status, DateTimeOffset Time);
}
