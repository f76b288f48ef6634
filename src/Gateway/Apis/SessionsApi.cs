using Gateway.Events;
using Gateway.Messaging;
using Gateway.Providers;
using Gateway.Providers.Cloud;
using Gateway.Qr;
using Gateway.Security;
using Gateway.Sessions;
using Gateway.SessionStore;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Apis;

/// <summary>Session lifecycle: start, status, QR, events, pairing code, stop, logout, delete.</summary>
internal static class SessionsApi
{
    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/sessions", ListSessions);

        var tenant = routes.MapGroup("/api/v1/sessions/{tenantId}")
            .RequireAuthorization(TenantAccessHandler.Policy)
            .RequireValidTenantId();
        tenant.MapPost("/start", StartSession);
        tenant.MapGet("/status", GetStatus);
        tenant.MapGet("/qr", GetQr);
        tenant.MapGet("/events", StreamEvents);
        tenant.MapPost("/pairing-code", RequestPairingCode);
        tenant.MapPost("/stop", StopSession);
        tenant.MapPost("/logout", LogoutSession);
        tenant.MapDelete("/", DeleteSession);
        return routes;
    }

    private static Ok<StatusResponse[]> ListSessions(SessionManager sessions, HttpContext context)
    {
        var admin = context.User.IsInRole(ApiKeyAuthentication.AdminRole);
        var visible = sessions.All.Where(s => admin || context.User.HasClaim(ApiKeyAuthentication.TenantClaim, s.TenantId));
        return TypedResults.Ok(visible.Select(s => ToStatus(s.State)).ToArray());
    }

    private static async Task<Results<Ok<StartResponse>, ProblemHttpResult>> StartSession(
        string tenantId, HttpRequest request, SessionManager sessions, CancellationToken cancellationToken)
    {
        StartRequest? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            body = await request.ReadFromJsonAsync<StartRequest>(cancellationToken);
        }

        var (settings, problem) = ToSettings(body);
        if (problem is not null)
        {
            return problem;
        }

        TenantSession session;
        try
        {
            session = await sessions.StartAsync(tenantId, settings, cancellationToken);
        }
        catch (TenantStoreLockedException)
        {
            return TenantLocked();
        }

        var state = await WaitForSettledAsync(session, sessions, cancellationToken);
        return TypedResults.Ok(new StartResponse(true, tenantId, tenantId, state.Status.WireName(), state.Qr is { } qr ? QrRenderer.DataUrl(qr.Text) : null));
    }

    private static Results<Ok<StatusResponse>, ProblemHttpResult> GetStatus(string tenantId, SessionManager sessions) =>
        sessions.Get(tenantId) is { } session ? TypedResults.Ok(ToStatus(session.State)) : Problems.UnknownTenant(tenantId);

    private static IResult GetQr(string tenantId, string? format, HttpRequest request, SessionManager sessions)
    {
        if (sessions.Get(tenantId) is not { } session)
        {
            return Problems.UnknownTenant(tenantId);
        }

        if (session.State.Qr is not { } qr)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "no-qr", "No QR code", $"The session is {session.State.Status.WireName()}; a QR exists only while it waits for a scan.");
        }

        var accept = request.Headers.Accept.ToString();
        var wanted = format?.ToLowerInvariant()
            ?? (accept.Contains("image/png", StringComparison.OrdinalIgnoreCase) ? "png"
                : accept.Contains("image/svg", StringComparison.OrdinalIgnoreCase) ? "svg" : "json");
        return wanted switch
        {
            "png" => TypedResults.File(QrRenderer.Png(qr.Text), "image/png"),
            "svg" => TypedResults.Text(QrRenderer.Svg(qr.Text), "image/svg+xml"),
            "json" => TypedResults.Ok(new QrResponse(qr.Text, QrRenderer.DataUrl(qr.Text), qr.ExpiresAt)),
            _ => Problems.Create(StatusCodes.Status400BadRequest, "invalid-format", "Unsupported format", "format is png, svg or json."),
        };
    }

    private static IResult StreamEvents(string tenantId, SessionManager sessions, CancellationToken cancellationToken)
    {
        if (sessions.Get(tenantId) is not { } session)
        {
            return Problems.UnknownTenant(tenantId);
        }

        return TypedResults.ServerSentEvents(Events(session, cancellationToken));

        static async IAsyncEnumerable<System.Net.ServerSentEvents.SseItem<object>> Events(TenantSession session, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var state in session.WatchAsync(cancellationToken))
            {
                yield return new(ToStatus(state), EventNames.SessionStatus);
                if (state.Qr is { } qr)
                {
                    yield return new(new QrResponse(qr.Text, QrRenderer.DataUrl(qr.Text), qr.ExpiresAt), EventNames.SessionQr);
                }
            }
        }
    }

    private static async Task<Results<Ok<PairingCodeResponse>, ProblemHttpResult>> RequestPairingCode(
        string tenantId, PairingCodeRequest? body, SessionManager sessions, CancellationToken cancellationToken)
    {
        if (!Recipient.TryParse(body?.PhoneNumber, out var phone) || !phone.IsPhoneNumber)
        {
            return Problems.Invalid([new ValidationError("phoneNumber", "An international phone number of 7 to 15 digits.")]);
        }

        var session = await sessions.StartAsync(tenantId, null, cancellationToken);
        if (session.Provider is not IPairingCodeProvider pairing)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "pairing-code-unsupported", "Pairing code not available", "This tenant's provider does not pair by code.");
        }

        var code = await pairing.RequestPairingCodeAsync(phone.User, cancellationToken);
        return TypedResults.Ok(new PairingCodeResponse(code));
    }

    private static async Task<Results<Ok<StatusResponse>, ProblemHttpResult>> StopSession(string tenantId, SessionManager sessions, CancellationToken cancellationToken) =>
        await sessions.StopAsync(tenantId, cancellationToken) ? TypedResults.Ok(ToStatus(sessions.Get(tenantId)!.State)) : Problems.UnknownTenant(tenantId);

    private static async Task<Results<Ok<StatusResponse>, ProblemHttpResult>> LogoutSession(string tenantId, SessionManager sessions, CancellationToken cancellationToken) =>
        await sessions.LogoutAsync(tenantId, cancellationToken) ? TypedResults.Ok(ToStatus(sessions.Get(tenantId)!.State)) : Problems.UnknownTenant(tenantId);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteSession(string tenantId, SessionManager sessions, CancellationToken cancellationToken)
    {
        try
        {
            return await sessions.DeleteAsync(tenantId, cancellationToken) ? TypedResults.NoContent() : Problems.UnknownTenant(tenantId);
        }
        catch (TenantStoreLockedException)
        {
            return TenantLocked();
        }
    }

    private static ProblemHttpResult TenantLocked() =>
        Problems.Create(StatusCodes.Status409Conflict, "tenant-locked", "Tenant in use", "Another gateway process holds this tenant's session store.");

    internal static StatusResponse ToStatus(SessionState state) => new(
        state.TenantId,
        state.Provider,
        state.Connected,
        state.Status.WireName(),
        state.PhoneNumber,
        state.Lid,
        state.Qr is { } qr ? QrRenderer.DataUrl(qr.Text) : null,
        state.PairingCode,
        state.LastActivity,
        state.LastDisconnect);

    private static (TenantSettings? Settings, ProblemHttpResult? Problem) ToSettings(StartRequest? body)
    {
        if (body is null || (body.Provider is null && body.Cloud is null))
        {
            return (null, null);
        }

        var provider = (body.Provider ?? (body.Cloud is null ? TenantSettings.WebProvider : CloudProvider.ProviderName)).ToLowerInvariant();
        if (provider == TenantSettings.WebProvider)
        {
            return (new TenantSettings(TenantSettings.WebProvider, null, null, default), null);
        }

        if (provider != CloudProvider.ProviderName)
        {
            return (null, Problems.Invalid([new ValidationError("provider", "Expected web or cloud.")]));
        }

        var cloud = body.Cloud;
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(cloud?.PhoneNumberId) || !cloud.PhoneNumberId.All(char.IsAsciiDigit))
        {
            errors.Add(new ValidationError("cloud.phoneNumberId", "The numeric phone number id from Meta's app dashboard."));
        }

        if (string.IsNullOrWhiteSpace(cloud?.AccessToken))
        {
            errors.Add(new ValidationError("cloud.accessToken", "Required."));
        }

        if (string.IsNullOrWhiteSpace(cloud?.AppSecret))
        {
            errors.Add(new ValidationError("cloud.appSecret", "Required: it checks X-Hub-Signature-256 on Meta's webhooks."));
        }

        if (string.IsNullOrWhiteSpace(cloud?.VerifyToken))
        {
            errors.Add(new ValidationError("cloud.verifyToken", "Required: Meta sends it when you register the webhook."));
        }

        return errors.Count > 0
            ? (null, Problems.Invalid(errors))
            : (new TenantSettings(CloudProvider.ProviderName, new CloudCredentials(cloud!.PhoneNumberId!, cloud.AccessToken!, cloud.AppSecret!, cloud.VerifyToken!), null, default), null);
    }

    private static async Task<SessionState> WaitForSettledAsync(TenantSession session, SessionManager sessions, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(sessions.StartWait);
        try
        {
            await foreach (var state in session.WatchAsync(wait.Token))
            {
                if (state.Status is SessionStatus.Qr or SessionStatus.PairingCode or SessionStatus.Connected || state.Status.IsTerminal() && state.Status != SessionStatus.Stopped)
                {
                    return state;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return session.State;
    }
}
