using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>
/// Authenticates `Authorization: Bearer &lt;key&gt;` or `X-API-Key: &lt;key&gt;` against the admin key and the
/// tenant-scoped keys. A request without a key gets no result (then 401 from authorization); a wrong key fails.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminKey adminKey,
    TenantKeyStore tenantKeys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string TenantClaim = "gateway:tenant";
    public const string AdminRole = "admin";
    public const string KeyIdItem = "gateway:key-digest";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ReadKey(Request);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var hash = ApiKeyHash.Of(presented);
        Context.Items[KeyIdItem] = Convert.ToHexString(hash, 0, 8);
        ClaimsIdentity identity;
        if (ApiKeyHash.Matches(hash, adminKey.Hash))
        {
            identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, AdminRole)], SchemeName);
        }
        else if (tenantKeys.FindTenant(hash) is { } tenant)
        {
            identity = new ClaimsIdentity([new Claim(TenantClaim, tenant)], SchemeName);
        }
        else
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }

    internal static string? ReadKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        var header = request.Headers["X-API-Key"].ToString().Trim();
        return header.Length > 0 ? header : null;
    }
}
