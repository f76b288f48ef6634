using Gateway.Security;
using Gateway.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Apis;

/// <summary>Admin-only management of tenant-scoped API keys. A key's secret is returned once, at creation.</summary>
internal static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder routes)
    {
        var keys = routes.MapGroup("/api/v1/keys").RequireAuthorization(TenantAccessHandler.AdminPolicy);
        keys.MapPost("/", CreateKey);
        keys.MapGet("/", ListKeys);
        keys.MapDelete("/{keyId}", RevokeKey);
        return routes;
    }

    private static Results<Created<CreatedKey>, ProblemHttpResult> CreateKey(CreateKeyRequest request, TenantKeyStore store)
    {
        if (!TenantId.IsValid(request.TenantId))
        {
            return Problems.InvalidTenantId();
        }

        var (record, secret) = store.Create(request.TenantId);
        return TypedResults.Created($"/api/v1/keys/{record.Id}", new CreatedKey(record.Id, record.TenantId, secret, record.CreatedAt));
    }

    private static Ok<KeySummary[]> ListKeys(TenantKeyStore store) =>
        TypedResults.Ok(store.List().Select(r => new KeySummary(r.Id, r.TenantId, r.CreatedAt)).ToArray());

    private static Results<NoContent, NotFound> RevokeKey(string keyId, TenantKeyStore store) =>
        store.Revoke(keyId) ? TypedResults.NoContent() : TypedResults.NotFound();

    internal sealed record CreateKeyRequest(string? TenantId);

    internal sealed record CreatedKey(string Id, string TenantId, string Key, DateTimeOffset CreatedAt);

    internal sealed record KeySummary(string Id, string TenantId, DateTimeOffset CreatedAt);
}
