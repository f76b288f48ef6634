using Gateway.Events;
using Gateway.Security;
using Gateway.Sessions;
using Gateway.SessionStore.Abstractions;
using Gateway.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Apis;

/// <summary>A tenant's webhook: set (new secret returned once), remove, delivery log, redeliver.</summary>
internal static class WebhookApi
{
    public static IEndpointRouteBuilder MapWebhookApi(this IEndpointRouteBuilder routes)
    {
        var tenant = routes.MapGroup("/api/v1/sessions/{tenantId}/webhook")
            .RequireAuthorization(TenantAccessHandler.Policy)
            .RequireValidTenantId();
        tenant.MapPut("/", SetWebhook);
        tenant.MapDelete("/", RemoveWebhook);
        tenant.MapGet("/deliveries", ListDeliveries);
        tenant.MapGet("/dead-letters", ListDeadLetters);
        tenant.MapPost("/deliveries/{sequence:long}/redeliver", Redeliver);
        return routes;
    }

    private static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> SetWebhook(
        string tenantId, WebhookRequest? body, SessionManager sessions, Outbound.OutboundPolicy outbound, CancellationToken cancellationToken)
    {
        if (sessions.Get(tenantId) is not { } session)
        {
            return Problems.UnknownTenant(tenantId);
        }

        if (!Uri.TryCreate(body?.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || body!.Url!.Length > 2048)
        {
            return Problems.Invalid([new Messaging.ValidationError("url", "An absolute http(s) URL.")]);
        }

        if (!await outbound.PermitsAsync(url, cancellationToken))
        {
            return Problems.TargetNotAllowed("url", url);
        }

        var unknown = body.Events?.Where(e => !EventNames.All.Contains(e)).ToArray() ?? [];
        if (unknown.Length > 0)
        {
            return Problems.Invalid([new Messaging.ValidationError("events", $"Unknown events {string.Join(", ", unknown)}; known: {string.Join(", ", EventNames.All)}.")]);
        }

        // The new secret signs first; the previous one keeps verifying until the next change (rotation).
        var secret = WebhookSecret.Generate();
        var previous = session.Settings.Webhook?.Secrets.FirstOrDefault();
        var secrets = previous is null ? new[] { secret.Text } : [secret.Text, previous];
        var events = body.Events is null ? null : body.Events.Distinct(StringComparer.Ordinal).ToArray();
        session.UpdateSettings(session.Settings with { Webhook = new TenantWebhookSettings(url.ToString(), events, secrets) });
        return TypedResults.Ok(new WebhookResponse(url.ToString(), events, secret.Text));
    }

    private static Results<NoContent, ProblemHttpResult> RemoveWebhook(string tenantId, SessionManager sessions)
    {
        if (sessions.Get(tenantId) is not { } session)
        {
            return Problems.UnknownTenant(tenantId);
        }

        session.UpdateSettings(session.Settings with { Webhook = null });
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<DeliveryLogEntry[]>, ProblemHttpResult>> ListDeliveries(string tenantId, long? sequence, int? limit, SessionManager sessions, CancellationToken cancellationToken)
    {
        if (sessions.Get(tenantId) is not { } session)
        {
            return Problems.UnknownTenant(tenantId);
        }

        var entries = await session.Store.Outbox.ReadDeliveryLogAsync(sequence, Math.Clamp(limit ?? 100, 1, 1000), cancellationToken);
        return TypedResults.Ok(entries.ToArray());
    }

    private static async Task<Results<Ok<DeadLetter[]>, ProblemHttpResult>> ListDeadLetters(string tenantId, int? limit, SessionManager sessions, CancellationToken cancellationToken)
    {
        if (sessions.Get(tenantId) is not { } session)
        {
            return Problems.UnknownTenant(tenantId);
        }

        var dead = await session.Store.Outbox.ReadDeadLettersAsync(Math.Clamp(limit ?? 100, 1, 1000), cancellationToken);
        return TypedResults.Ok(dead.Select(e => new DeadLetter(e.Sequence, e.EventId, e.EventType, e.CreatedAt, e.Attempts, e.LastError)).ToArray());
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> Redeliver(string tenantId, long sequence, SessionManager sessions, TimeProvider time, CancellationToken cancellationToken)
    {
        if (sessions.Get(tenantId) is not { } session)
        {
            return Problems.UnknownTenant(tenantId);
        }

        if (!await session.Store.Outbox.RequeueAsync(sequence, time.GetUtcNow(), cancellationToken))
        {
            return Problems.Create(StatusCodes.Status404NotFound, "unknown-delivery", "Nothing to redeliver", "No delivered or dead-lettered event with this sequence.");
        }

        session.Webhooks.Notify();
        return TypedResults.Accepted((string?)null);
    }

    internal sealed record DeadLetter(long Sequence, string EventId, string Event, DateTimeOffset CreatedAt, int Attempts, string? LastError);
}
