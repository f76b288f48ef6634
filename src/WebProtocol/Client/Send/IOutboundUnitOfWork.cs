using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.WebProtocol.Client;

/// <summary>
/// The "persist, then send" seam of one outgoing message. After encrypting, the client calls
/// <see cref="RunAsync"/> with the step that stores the Signal sessions the encryption advanced; the implementation
/// runs it in one unit of work together with what the application keeps about the message (its queued record) and
/// commits before returning. The client writes the stanza only after this returned, so nothing leaves that is not on
/// disk; if it throws, nothing is sent.
/// </summary>
public interface IOutboundUnitOfWork
{
    Task RunAsync(Func<SignalStores, CancellationToken, Task> storeSessions, CancellationToken cancellationToken);
}
