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

    /// <summary>Whether this unit of work can commit <paramref name="other"/>'s writes in its own transaction.</summary>
    bool CanCarry(IOutboundUnitOfWork other) => false;

    /// <summary>
    /// Sends encrypted together: one unit of work holds this send's writes, those of <paramref name="others"/> (each
    /// undone alone if it fails) and <paramref name="storeSessions"/>, and commits. Returns, this send first, why a
    /// send's own writes failed (null: kept); that send must not go out. Throws if the commit itself fails.
    /// </summary>
    Task<IReadOnlyList<Exception?>> RunWithAsync(
        IReadOnlyList<IOutboundUnitOfWork> others, Func<SignalStores, CancellationToken, Task> storeSessions, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This unit of work cannot carry others (see CanCarry).");
}
