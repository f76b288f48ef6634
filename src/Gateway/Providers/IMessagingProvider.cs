using Gateway.Events;
using Gateway.Messaging;
using Gateway.Sessions;
using Gateway.SessionStore;

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

    /// <summary>Returns once the message is durable; only then may the provider acknowledge it upstream.</summary>
    ValueTask OnMessageAsync(InboundMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Status reports, oldest first: several that arrived together are recorded in one unit of work (and one
    /// commit), so a burst of acks and receipts does not cost a commit each.
    /// </summary>
    ValueTask OnStatusUpdatesAsync(IReadOnlyList<MessageStatusReport> updates, CancellationToken cancellationToken);

    /// <summary>
    /// For providers that commit an inbound message together with their own state (web: the Signal session):
    /// writes the message's record and event into the provider's unit of work.
    /// </summary>
    Task WriteInboundAsync(ITenantStores stores, InboundMessage message, CancellationToken cancellationToken);

    /// <summary>Called once that unit of work committed, with the number of messages it wrote.</summary>
    void InboundCommitted(int messages);
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
    /// Makes <paramref name="queued"/> durable, then sends, and returns the provider's message id once the provider
    /// accepted the message. If it throws before the record was committed, nothing was sent.
    /// </summary>
    Task<string> SendAsync(OutboundMessage message, QueuedRecord queued, CancellationToken cancellationToken);
}
