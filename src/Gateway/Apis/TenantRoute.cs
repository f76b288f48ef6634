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
                return Problems.InvalidTenantId();
            }

            return await next(context);
        });
}
