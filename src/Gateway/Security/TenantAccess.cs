using Microsoft.AspNetCore.Authorization;

namespace Gateway.Security;

/// <summary>Admin keys reach every tenant; a tenant key only the tenant named in the route.</summary>
public sealed class TenantAccessRequirement : IAuthorizationRequirement;

internal sealed class TenantAccessHandler : AuthorizationHandler<TenantAccessRequirement>
{
    public const string Policy = "tenant";
    public const string AdminPolicy = "admin";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TenantAccessRequirement requirement)
    {
        if (context.User.IsInRole(ApiKeyAuthentication.AdminRole))
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http
            && http.GetRouteValue("tenantId") is string routeTenant
            && context.User.HasClaim(ApiKeyAuthentication.TenantClaim, routeTenant))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
