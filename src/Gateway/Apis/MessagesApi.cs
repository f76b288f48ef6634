using Gateway.Messaging;
using Gateway.Sessions;
using Gateway.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Apis;

/// <summary>Send a message and read its status.</summary>
internal static class MessagesApi
{
    private const int MaxIdempotencyKeyLength = 200;

    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder routes)
    {
        var tenant = routes.MapGroup("/api/v1/messages/{tenantId}")
            .RequireAuthorization(TenantAccessHandler.Policy)
            .RequireValidTenantId();
        tenant.MapPost("/send", SendMessage);
        tenant.MapGet("/{messageId}", GetMessage);
        return routes;
    }

    private static async Task<Results<Ok<SendResponse>, ProblemHttpResult>> SendMessage(
        string tenantId, SendRequest? body, HttpRequest request, SessionManager sessions, Outbound.OutboundPolicy outbound, CancellationToken cancellationToken)
    {
        if (sessions.Get(tenantId) is not { } session)
        {
            return Problems.UnknownTenant(tenantId);
        }

        var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            return Problems.Invalid([new ValidationError("Idempotency-Key", $"At most {MaxIdempotencyKeyLength} characters.")]);
        }

        var (message, errors) = SendRequestValidator.Validate(body, EventIds.NewMessageId());
        if (message is null)
        {
            return Problems.Invalid(errors);
        }

        if (message.Media?.Url is { } mediaUrl && !await outbound.PermitsAsync(mediaUrl, cancellationToken))
        {
            return Problems.TargetNotAllowed("mediaUrl", mediaUrl);
        }

        if (message.Kind == MessageKind.Template && session.Settings.Provider != Providers.Cloud.CloudProvider.ProviderName)
        {
            return Problems.Invalid([new ValidationError("type", "Template messages need a tenant on the Cloud API provider.")]);
        }

        try
        {
            var outcome = await session.SendAsync(message, idempotencyKey.Length == 0 ? null : idempotencyKey, cancellationToken);
            return TypedResults.Ok(new SendResponse(outcome.Error is null, outcome.MessageId, outcome.Status.ToString().ToLowerInvariant(), outcome.Error));
        }
        catch (SessionNotConnectedException notConnected)
        {
            return Problems.NotConnected(notConnected.Status);
        }
    }

    private static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> GetMessage(
        string tenantId, string messageId, SessionManager sessions, CancellationToken cancellationToken)
    {
        if (sessions.Get(tenantId) is not { } session)
        {
            return Problems.UnknownTenant(tenantId);
        }

        if (messageId.Length > 128 || await session.Store.Messages.GetByIdAsync(messageId, cancellationToken) is not { } record)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "unknown-message", "Unknown message", "No message with this id in this tenant.");
        }

        return TypedResults.Ok(new MessageResponse(
            record.Id,
            record.Direction.ToString().ToLowerInvariant(),
            record.Chat,
            record.Status.ToString().ToLowerInvariant(),
            record.CreatedAt,
            record.UpdatedAt,
            record.FailureReason));
    }

    internal sealed record SendResponse(bool Success, string MessageId, string Status, string? Error);

    internal sealed record MessageResponse(string MessageId, string Direction, string Chat, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Error);
}
