using Gateway.Emulator.Accounts;
using Gateway.Emulator.Pairing;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Types;

namespace Gateway.Emulator.Admin;

/// <summary>
/// The emulated phone and the test operator: pairing, device removal, fault injection and inspection.
/// The HTTP admin API maps one to one onto these methods. Device arguments are device JIDs, PN or LID.
/// </summary>
public sealed class EmulatorAdmin
{
    private readonly AccountDirectory accounts;
    private readonly PairingService pairing;

    private readonly Func<int> openConnections;

    internal EmulatorAdmin(AccountDirectory accounts, PairingService pairing, Func<int> openConnections)
    {
        this.accounts = accounts;
        this.pairing = pairing;
        this.openConnections = openConnections;
    }

    /// <summary>Open connections and process memory; forces a full GC so the managed figure is live data only.</summary>
    public EmulatorStats Stats()
    {
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new EmulatorStats(openConnections(), accounts.All.Sum(a => a.ActiveDevices().Count), managed, process.WorkingSet64);
    }

    /// <summary>The phone of <paramref name="phone"/> scans a companion's QR text; returns once the companion counter-signed.</summary>
    public Task<PairedDevice> ScanQrAsync(string qrText, string phone, CancellationToken cancellationToken) =>
        pairing.ScanAsync(qrText, phone, cancellationToken);

    /// <summary>The phone's user enters the companion's pairing code; returns once the companion counter-signed.</summary>
    public Task<PairedDevice> SubmitPairingCodeAsync(string phone, string code, CancellationToken cancellationToken) =>
        pairing.SubmitCodeAsync(phone, code, cancellationToken);

    /// <summary>
    /// Links a device that was paired before this emulator started (a tenant folder written elsewhere), as the
    /// server would still know it: it logs in with its phone, device number and Noise key, and peers get its keys.
    /// Its one-time prekeys are not known: the device uploads new ones at login (the count is 0). A new account gets
    /// a new phone key (the real one's private half stays on the phone); it signs only companions paired later. Throws
    /// <see cref="ArgumentException"/> for malformed facts (JIDs, key lengths, a signed prekey its identity key did
    /// not sign) and <see cref="InvalidOperationException"/> when the phone has another LID here, the LID belongs to
    /// another phone, or the device number is in use.
    /// </summary>
    public PairedDevice AdoptDevice(AdoptedDevice adopted)
    {
        ArgumentNullException.ThrowIfNull(adopted);
        ArgumentNullException.ThrowIfNull(adopted.SignedPreKey);
        if (!Jid.TryParse(adopted.Jid, out var pn) || pn.Server != JidServer.User || pn.Device is 0 or ushort.MaxValue
            || !Jid.TryParse(adopted.Lid, out var lid) || lid.Server != JidServer.Lid || lid.Device != pn.Device)
        {
            throw new ArgumentException("expected a PN device JID phone:N@s.whatsapp.net and a LID device JID lid:N@lid with the same N", nameof(adopted));
        }

        var signed = adopted.SignedPreKey;
        if (adopted.NoiseKey is not { Length: Curve25519.KeyLength } || adopted.IdentityKey is not { Length: Curve25519.KeyLength }
            || signed.PublicKey is not { Length: Curve25519.KeyLength } || signed.Signature is not { Length: Curve25519.SignatureLength })
        {
            throw new ArgumentException("keys are 32 bytes and the signed prekey's signature 64", nameof(adopted));
        }

        if (!Curve25519.VerifySignature(adopted.IdentityKey, Curve25519.ToSignalPublicKey(signed.PublicKey), signed.Signature))
        {
            throw new ArgumentException("the signed prekey is not signed by the identity key", nameof(adopted));
        }

        var account = accounts.Adopt(pn.User, lid.User);
        account.Adopt(new Device(account, pn.Device, adopted.KeyIndex, adopted.NoiseKey.ToArray(), adopted.IdentityKey.ToArray(),
            adopted.RegistrationId, signed with { PublicKey = signed.PublicKey.ToArray(), Signature = signed.Signature.ToArray() }));
        return new PairedDevice(pn.ToString(), lid.ToString());
    }

    /// <summary>Unlinks a device: a live connection gets stream:error 401, later logins get failure 401.</summary>
    public bool RemoveDevice(string deviceJid)
    {
        if (Find(deviceJid) is not { } device)
        {
            return false;
        }

        device.Removed = true;
        device.Connection?.PostStreamErrorAndClose(401);
        return true;
    }

    /// <summary>Closes the device's connection with no stream:error.</summary>
    public bool DropConnection(string deviceJid) => Act(deviceJid, c => c.Drop());

    /// <summary>Sends <c>&lt;stream:error code=N/&gt;</c> and closes.</summary>
    public bool SendStreamError(string deviceJid, int code) => Act(deviceJid, c => c.PostStreamErrorAndClose(code));

    /// <summary>Sends <c>&lt;failure reason=N/&gt;</c> and closes.</summary>
    public bool SendFailure(string deviceJid, int reason) => Act(deviceJid, c => c.PostFailureAndClose(reason));

    public bool SetFaults(string deviceJid, FaultSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (Find(deviceJid) is not { } device)
        {
            return false;
        }

        if (settings.IgnorePings is { } ignore)
        {
            device.Faults.IgnorePings = ignore;
        }

        if (settings.RefuseLoginReason is { } reason)
        {
            device.Faults.RefuseLoginReason = reason == 0 ? null : reason;
        }

        if (settings.CorruptMessages is { } corrupt)
        {
            device.Faults.CorruptMessages = corrupt;
        }

        if (settings.AckDelayMs is { } delay)
        {
            device.Faults.AckDelay = TimeSpan.FromMilliseconds(delay);
        }

        return true;
    }

    public IReadOnlyList<DeviceStatus> ListDevices() =>
        accounts.All.SelectMany(a => a.ActiveDevices()).Select(Status).ToArray();

    public DeviceStatus? GetDevice(string deviceJid) => Find(deviceJid) is { } d ? Status(d) : null;

    /// <summary>The account's LID user for a phone number, or null if no device was ever paired for it.</summary>
    public string? FindLid(string phone) => accounts.FindByPhone(phone)?.LidJid.ToString();

    private static DeviceStatus Status(Device d) =>
        new(d.PnJid.ToString(), d.LidJid.ToString(), d.Connection is not null, d.Removed, d.PendingCount, d.PreKeyCount, d.Sent.Snapshot());

    private bool Act(string deviceJid, Action<Connections.EmulatorConnection> action)
    {
        if (Find(deviceJid)?.Connection is not { } connection)
        {
            return false;
        }

        action(connection);
        return true;
    }

    private Device? Find(string deviceJid) =>
        Jid.TryParse(deviceJid, out var jid) ? accounts.FindDevice(jid) : null;
}
