using Gateway.Events;
using Gateway.Messaging;
using Gateway.Sessions;

namespace Gateway.Providers;

/// <summary>A provider's view of its connection, reported on every change.</summary>
public sealed record ProviderState(
    SessionStatus Status,
    string? PhoneNumber = null,
    string? Lid = null,
    QrCodeInfo? Qr = null,
    string? PairingCode = null,
    DisconnectInfo? Disconnect = null);

/// <summary>What a provider tells its tenant session. Implemented by the session, called by the provider.</summary>
public interface IProviderEvents
{
    ValueTask OnStateAsync(ProviderState state, CancellationToken cancellationToken);

    /// <summary>
    /// Returns once the message's record and event are committed; only then may the provider acknowledge it upstream.
    /// Idempotent: the same message again (a redelivery) changes nothing and makes no second event.
    /// </summary>
    ValueTask OnMessageAsync(InboundMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Status reports, oldest first, recorded in one unit of work (and one commit); returns once they are committed,
    /// so the provider may acknowledge the receipt that carried them.
    /// </summary>
    ValueTask OnStatusUpdatesAsync(IReadOnlyList<MessageStatusReport> updates, CancellationToken cancellationToken);
}

/// <summary>
/// One way of reaching WhatsApp for one tenant: the Web multi-device client or Meta's Cloud API. The tenant
/// session owns exactly one and does not care which.
/// </summary>
public interface IMessagingProvider : IAsyncDisposable
{
    /// <summary>"web" or "cloud".</summary>
    string Name { get; }

    /// <summary>Connects (or begins pairing) and reports progress through <paramref name="events"/>.</summary>
    Task StartAsync(IProviderEvents events, CancellationToken cancellationToken);

    /// <summary>Disconnects and keeps credentials, so the next start needs no pairing.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Unlinks the device where the provider can, and forgets the credentials.</summary>
    Task LogoutAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends a message whose queued record is already committed, and returns the provider's message id once the
    /// provider's server accepted it.
    /// </summary>
    Task<string> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
