using Gateway.Sessions;

namespace Gateway.Apis;

/// <summary>Refuses a malformed tenant id in the route before any handler sees it.</summary>
internal static class TenantRoute
{
    public static RouteGroupBuilder RequireValidTenantId(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var tenantId = context.HttpContext.GetRouteValue("tenantId") as string;
            if (!TenantId.IsValid(tenantId))
            {
                return TypedResults.Problem(
                    title: "Invalid tenant id",
                    detail: $"A tenant id is {TenantId.Rule}.",
                    statusCode: StatusCodes.Status400BadRequest,
                    type: "https://gateway.dev/problems/invalid-tenant-id");
            }

            return await next(context);
        });
}
