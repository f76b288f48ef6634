using Gateway.WebProtocol.Binary;

namespace Gateway.Emulator.Accounts;

/// <summary>A stanza addressed to a device that it has not acked yet (<c>Class</c> is the ack's class: message, receipt...).</summary>
public sealed record PendingStanza(string Class, string Id, Node Stanza);
