using System.Security.Cryptography;
using System.Text;
using Gateway.Providers.Cloud;
using Gateway.Sessions;

namespace Gateway.Apis;

/// <summary>
/// Meta's webhook for tenants on the Cloud API: the GET verification handshake and signed POST events, routed
/// to the tenant by metadata.phone_number_id and made durable (outbox) before the 200.
/// </summary>
internal static class CloudWebhookApi
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapCloudWebhookApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/webhooks/cloud", Verify).AllowAnonymous();
        routes.MapPost("/webhooks/cloud", Receive).AllowAnonymous();
        return routes;
    }

    private static IResult Verify(HttpRequest request, SessionManager sessions)
    {
        var mode = request.Query["hub.mode"].ToString();
        var token = request.Query["hub.verify_token"].ToString();
        var challenge = request.Query["hub.challenge"].ToString();
        if (mode != "subscribe" || token.Length == 0 || challenge.Length is 0 or > 256)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "invalid-verification", "Invalid verification request", "Expected hub.mode=subscribe, hub.verify_token and hub.challenge.");
        }

        var given = Encoding.UTF8.GetBytes(token);
        var match = sessions.All.Any(s => s.Settings.Cloud is { } cloud
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(cloud.VerifyToken), given));
        return match
            ? TypedResults.Text(challenge, "text/plain")
            : Problems.Create(StatusCodes.Status403Forbidden, "verify-token-mismatch", "Verify token mismatch", "No cloud tenant has this verify token.");
    }

    private static async Task<IResult> Receive(HttpRequest request, SessionManager sessions, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Request body too large", $"At most {MaxBodyBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBodyBytes)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Request body too large", $"At most {MaxBodyBytes} bytes.");
        }

        var body = buffer.ToArray();
        IReadOnlyList<CloudNotification> notifications;
        try
        {
            notifications = CloudWebhookPayload.Parse(body);
        }
        catch (FormatException)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "invalid-json", "Invalid JSON", "The body is not a Cloud API webhook payload.");
        }

        var signature = request.Headers["X-Hub-Signature-256"].ToString();
        var tenants = new Dictionary<string, TenantSession>(StringComparer.Ordinal);
        foreach (var phoneNumberId in notifications.Select(n => n.PhoneNumberId).Distinct(StringComparer.Ordinal))
        {
            if (sessions.FindCloudTenant(phoneNumberId) is not { } session)
            {
                return Problems.Create(StatusCodes.Status404NotFound, "unknown-phone-number-id", "Unknown phone number id", "No cloud tenant has this phone number id.");
            }

            if (!CloudSignature.IsValid(signature, session.Settings.Cloud!.AppSecret, body))
            {
                return Problems.Create(StatusCodes.Status401Unauthorized, "invalid-signature", "Invalid signature", "X-Hub-Signature-256 does not match the body.");
            }

            tenants[phoneNumberId] = session;
        }

        foreach (var notification in notifications)
        {
            var session = tenants[notification.PhoneNumberId];
            if (notification.Message is { } message)
            {
                await session.OnInboundMessageAsync(message, cancellationToken);
            }
            else if (notification.Status is { } status)
            {
                await session.OnStatusReportsAsync([status], cancellationToken);
            }
        }

        return TypedResults.Ok();
    }
}
