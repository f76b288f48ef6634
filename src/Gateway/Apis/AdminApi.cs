using System.IO.Compression;
using Gateway.Backup;
using Gateway.Security;
using Gateway.Sessions;
using Gateway.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Apis;

/// <summary>Operator routes: a backup of every tenant, and a signed test delivery to a tenant's webhook.</summary>
internal static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/admin/backup", Backup).RequireAuthorization(TenantAccessHandler.AdminPolicy);
        routes.MapGroup("/api/v1/sessions/{tenantId}/webhook")
            .RequireAuthorization(TenantAccessHandler.Policy)
            .RequireValidTenantId()
            .MapPost("/test", TestWebhook);
        return routes;
    }

    private static async Task Backup(HttpContext context, SessionManager sessions, TimeProvider time, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "application/zip";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"gateway-sessions-{time.GetUtcNow():yyyyMMdd-HHmmss}.zip\"";
        await using var archive = new ZipArchive(context.Response.BodyWriter.AsStream(), ZipArchiveMode.Create, leaveOpen: true);
        foreach (var session in sessions.All)
        {
            await SessionsArchive.AddTenantAsync(archive, session.TenantId, session.Store, session.Directory, cancellationToken);
        }
    }

    private static async Task<Results<Ok<WebhookTestResult>, ProblemHttpResult>> TestWebhook(
        string tenantId, SessionManager sessions, WebhookSender sender, TimeProvider time, CancellationToken cancellationToken)
    {
        if (sessions.Get(tenantId) is not { } session)
        {
            return Problems.UnknownTenant(tenantId);
        }

        if (session.WebhookTarget is not { } target)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "no-webhook", "No webhook", "This tenant has no webhook and no global one is configured.");
        }

        var id = EventIds.New();
        var envelope = WebhookEnvelope.Create(id, "webhook.test", tenantId, time.GetUtcNow(), new { message = "Test delivery from the gateway." });
        var attempt = await sender.SendAsync(target, id, envelope.ToUtf8Bytes(), WebhookSender.DefaultTimeout, cancellationToken);
        return TypedResults.Ok(new WebhookTestResult(attempt.Outcome == AttemptOutcome.Delivered, attempt.StatusCode, attempt.Error, (int)attempt.Duration.TotalMilliseconds));
    }

    internal sealed record WebhookTestResult(bool Delivered, int? StatusCode, string? Error, int DurationMs);
}
