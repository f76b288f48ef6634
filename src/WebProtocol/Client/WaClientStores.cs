using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.WebProtocol.Client;

/// <summary>
/// The persistent state of one WhatsApp account link. The Signal stores hold our identity, which exists only
/// once credentials do, so they come from a factory called with the credentials. <paramref name="transactions"/>
/// lets the client commit a decrypt's Signal state with its buffered plaintext; without it, the client's own
/// stores keep each write as it happens.
/// </summary>
public sealed class WaClientStores(
    ICredentialsStore credentials,
    ILidMapStore lidMap,
    IDeviceListStore deviceLists,
    Func<DeviceCredentials, SignalStores> signalFactory,
    IInboundBuffer? inboundBuffer = null,
    IProtocolTransactions? transactions = null)
{
    public ICredentialsStore Credentials { get; } = credentials ?? throw new ArgumentNullException(nameof(credentials));

    public ILidMapStore LidMap { get; } = lidMap ?? throw new ArgumentNullException(nameof(lidMap));

    public IDeviceListStore DeviceLists { get; } = deviceLists ?? throw new ArgumentNullException(nameof(deviceLists));

    public Func<DeviceCredentials, SignalStores> SignalFactory { get; } = signalFactory ?? throw new ArgumentNullException(nameof(signalFactory));

    public IInboundBuffer InboundBuffer { get; } = inboundBuffer ?? new InMemoryInboundBuffer();

    public IProtocolTransactions? Transactions { get; } = transactions;

    /// <summary>
    /// Process-lifetime stores; the same instance handed to a new client continues the account and its sessions
    /// (what a restart from disk looks like).
    /// </summary>
    public static WaClientStores InMemory()
    {
        SignalStores? signal = null;
        var gate = new Lock();
        return new WaClientStores(
            new InMemoryCredentialsStore(),
            new InMemoryLidMapStore(),
            new InMemoryDeviceListStore(),
            creds =>
            {
                lock (gate)
                {
                    return signal ??= SignalStores.InMemory(
                        new KeyPair(creds.IdentityPublicKey, creds.IdentityPrivateKey), (uint)creds.RegistrationId);
                }
            });
    }
}
