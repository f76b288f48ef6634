using Gateway.Emulator.Accounts;
using Gateway.Emulator.Pairing;
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
