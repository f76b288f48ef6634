using Gateway.SessionStore.Abstractions;
using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.SessionStore.Tests;

/// <summary>The in-memory implementations gathered behind the same interface as a tenant store.</summary>
internal sealed class InMemoryTenantStores(KeyPair identity, uint registrationId) : ITenantStores
{
    public ICredentialsStore Credentials { get; } = new InMemoryCredentialsStore();
    public ILidMapStore LidMap { get; } = new InMemoryLidMapStore();
    public IDeviceListStore DeviceLists { get; } = new InMemoryDeviceListStore();
    public IMessageRecordStore Messages { get; } = new InMemoryMessageRecordStore();
    public IWebhookOutbox Outbox { get; } = new InMemoryWebhookOutbox();
    public IInboundBuffer InboundBuffer { get; } = new InMemoryInboundBuffer();
    public SignalStores Signal { get; } = SignalStores.InMemory(identity, registrationId);
}
