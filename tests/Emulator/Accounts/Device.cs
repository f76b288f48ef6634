using Gateway.Emulator.Connections;
using Gateway.WebProtocol.Types;

namespace Gateway.Emulator.Accounts;

/// <summary>
/// A linked companion device: its keys as registered and uploaded, its live connection (if any), the
/// stanzas that wait for its ack, its injected faults and what it sent.
/// </summary>
public sealed class Device
{
    private readonly Lock gate = new();
    private readonly Queue<(uint Id, byte[] PublicKey)> preKeys = new();
    private readonly List<PendingStanza> pending = [];
    private EmulatorConnection? connection;

    internal Device(Account account, ushort number, uint keyIndex, byte[] noiseKey, byte[] identityKey, uint registrationId, SignedPreKey signedPreKey)
    {
        Account = account;
        Number = number;
        KeyIndex = keyIndex;
        NoiseKey = noiseKey;
        IdentityKey = identityKey;
        RegistrationId = registrationId;
        SignedPreKey = signedPreKey;
    }

    public Account Account { get; }

    public ushort Number { get; }

    public uint KeyIndex { get; }

    /// <summary>The long-lived Noise static key the device must log in with.</summary>
    public byte[] NoiseKey { get; }

    public byte[] IdentityKey { get; private set; }

    public uint RegistrationId { get; private set; }

    public SignedPreKey SignedPreKey { get; private set; }

    public bool Removed { get; internal set; }

    public DeviceFaults Faults { get; } = new();

    public StanzaCounters Sent { get; } = new();

    public Jid PnJid => new(Account.Phone, JidServer.User, Number);

    public Jid LidJid => new(Account.Lid, JidServer.Lid, Number);

    /// <summary>The device's address in the server the peer used (PN or LID).</summary>
    public Jid JidOn(string server) => server == JidServer.Lid ? LidJid : PnJid;

    public EmulatorConnection? Connection
    {
        get { lock (gate) { return connection; } }
    }

    public int PreKeyCount
    {
        get { lock (gate) { return preKeys.Count; } }
    }

    public int PendingCount
    {
        get { lock (gate) { return pending.Count; } }
    }

    /// <summary>
    /// Binds a new connection and replays every unacked stanza on it, oldest first, through
    /// <paramref name="replay"/>, atomically with respect to new deliveries. Returns the replaced connection.
    /// </summary>
    internal EmulatorConnection? Attach(EmulatorConnection newConnection, Action<PendingStanza> replay)
    {
        lock (gate)
        {
            var previous = connection;
            connection = newConnection;
            foreach (var stanza in pending)
            {
                replay(stanza);
            }

            return previous;
        }
    }

    internal void Detach(EmulatorConnection closed)
    {
        lock (gate)
        {
            if (ReferenceEquals(connection, closed))
            {
                connection = null;
            }
        }
    }

    internal void StoreKeys(uint registrationId, byte[] identityKey, SignedPreKey signedPreKey, IEnumerable<(uint Id, byte[] PublicKey)> oneTimeKeys)
    {
        lock (gate)
        {
            RegistrationId = registrationId;
            IdentityKey = identityKey;
            SignedPreKey = signedPreKey;
            foreach (var key in oneTimeKeys)
            {
                preKeys.Enqueue(key);
            }
        }
    }

    internal void RotateSignedPreKey(SignedPreKey signedPreKey)
    {
        lock (gate)
        {
            SignedPreKey = signedPreKey;
        }
    }

    /// <summary>Hands out one one-time prekey, never the same one twice.</summary>
    internal (uint Id, byte[] PublicKey)? TakePreKey()
    {
        lock (gate)
        {
            return preKeys.TryDequeue(out var key) ? key : null;
        }
    }

    /// <summary>
    /// Records a stanza for the device and sends it if the device is connected. The record stays until the
    /// device acks it, so a drop before the ack means redelivery at the next login.
    /// </summary>
    internal void Enqueue(PendingStanza stanza)
    {
        lock (gate)
        {
            pending.Add(stanza);
            connection?.Post(stanza.Stanza);
        }
    }

    internal void Acknowledge(string stanzaClass, string id)
    {
        lock (gate)
        {
            pending.RemoveAll(p => p.Id == id && p.Class == stanzaClass);
        }
    }

}
