using Gateway.Messaging;
using Gateway.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Apis;

/// <summary>The API's errors as problem+json, each with a stable type a client can switch on.</summary>
internal static class Problems
{
    public static ProblemHttpResult InvalidTenantId() =>
        Create(StatusCodes.Status400BadRequest, "invalid-tenant-id", "Invalid tenant id", $"A tenant id is {TenantId.Rule}.");

    public static ProblemHttpResult UnknownTenant(string tenantId) =>
        Create(StatusCodes.Status404NotFound, "unknown-tenant", "Unknown tenant", $"No session named '{tenantId}' exists; start it first.");

    public static ProblemHttpResult NotConnected(SessionStatus status) =>
        Create(StatusCodes.Status409Conflict, "not-connected", "Session not connected", $"The session is {status.WireName()}; messages can be sent once it is connected.");

    public static ProblemHttpResult Invalid(IReadOnlyList<ValidationError> errors) =>
        TypedResults.Problem(
            title: "Invalid request",
            detail: string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")),
            statusCode: StatusCodes.Status400BadRequest,
            type: "urn:gateway:problem:invalid-request",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.ToDictionary(e => e.Field, e => e.Message) });

    /// <summary>A caller's URL that leads to an address the outbound policy refuses (loopback, private, metadata...).</summary>
    public static ProblemHttpResult TargetNotAllowed(string field, Uri url) =>
        TypedResults.Problem(
            title: "Target not allowed",
            detail: $"{field}: the host '{url.Host}' is a loopback, private, link-local or otherwise internal address; the operator may allow it with {Outbound.OutboundPolicy.EnvironmentVariable}.",
            statusCode: StatusCodes.Status400BadRequest,
            type: Outbound.TargetNotAllowedException.ProblemType);

    public static ProblemHttpResult Create(int status, string slug, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status, type: "urn:gateway:problem:" + slug);
}
