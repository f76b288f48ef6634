using System.Net;
using Gateway.Messaging;
using Gateway.Sessions;

namespace Gateway.Providers.Cloud;

/// <summary>
/// A tenant on Meta's Cloud API. "Connected" means the token and phone number id were accepted by the Graph
/// API; inbound traffic arrives through the Cloud webhook endpoint, which hands it to <see cref="Events"/>.
/// </summary>
public sealed class CloudProvider(CloudCredentials credentials, GraphApiClient graph, TimeProvider time) : IMessagingProvider
{
    public const string ProviderName = "cloud";

    public string Name => ProviderName;

    public CloudCredentials Credentials { get; } = credentials;

    /// <summary>The session's event sink while started; the webhook endpoint reports through it.</summary>
    public IProviderEvents? Events { get; private set; }

    public async Task StartAsync(IProviderEvents events, CancellationToken cancellationToken)
    {
        Events = events;
        await events.OnStateAsync(new ProviderState(SessionStatus.Connecting), cancellationToken).ConfigureAwait(false);
        try
        {
            var phone = await graph.GetDisplayPhoneNumberAsync(Credentials, cancellationToken).ConfigureAwait(false);
            var digits = phone is null ? null : new string(phone.Where(char.IsAsciiDigit).ToArray());
            await events.OnStateAsync(new ProviderState(SessionStatus.Connected, PhoneNumber: digits), cancellationToken).ConfigureAwait(false);
        }
        catch (CloudApiException error) when (!error.IsTransient)
        {
            var code = error.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? 401 : (int)error.Status;
            var disconnect = new DisconnectInfo(code, $"Graph API refused the credentials ({error.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"})", time.GetUtcNow());
            await events.OnStateAsync(new ProviderState(SessionStatus.Failed, Disconnect: disconnect), cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Events = null;
        return Task.CompletedTask;
    }

    public Task LogoutAsync(CancellationToken cancellationToken) => StopAsync(cancellationToken);

    public async Task<string> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        string? mediaId = null;
        if (message.Media is { Content: not null } media)
        {
            mediaId = await graph.UploadMediaAsync(Credentials, media, cancellationToken).ConfigureAwait(false);
        }

        return await graph.SendAsync(Credentials, message, mediaId, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
