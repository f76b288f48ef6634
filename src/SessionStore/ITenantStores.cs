using Gateway.SessionStore.Abstractions;
using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.SessionStore;

/// <summary>The stores of one tenant, either straight on the file or bound to one unit of work.</summary>
public interface ITenantStores
{
    ICredentialsStore Credentials { get; }
    ILidMapStore LidMap { get; }
    IDeviceListStore DeviceLists { get; }
    IMessageRecordStore Messages { get; }
    IWebhookOutbox Outbox { get; }

    /// <summary>The protocol library's decrypted messages awaiting their acknowledgement.</summary>
    IInboundBuffer InboundBuffer { get; }

    /// <summary>Identity (ours from the credentials), prekeys, signed prekeys, sessions and sender keys.</summary>
    SignalStores Signal { get; }
}
