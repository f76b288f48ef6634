using Gateway.WebProtocol.Client.Devices;
using Gateway.WebProtocol.Client.Prekeys;
using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Types;
using Microsoft.Extensions.Logging;

namespace Gateway.WebProtocol.Client;

public sealed partial class WaClient
{
    /// <summary>
    /// Every device of <paramref name="users"/> as a JID to encrypt to: the LID form when the user's LID is
    /// known (Baileys 7 and WhatsApp address sessions by LID), else the phone-number form. Device lists come from
    /// the cache or one usync query, which also teaches us LIDs.
    /// </summary>
    private async Task<List<Jid>> GetDeviceJidsAsync(IReadOnlyList<Jid> users, CancellationToken cancellationToken)
    {
        var keys = users.Select(user => user.ToString()).ToArray();
        var cached = new Dictionary<string, DeviceListEntry>(
            await stores.DeviceLists.GetAsync(keys, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        var missing = users.Where(user => !cached.ContainsKey(user.ToString())).ToArray();
        if (missing.Length > 0)
        {
            var answer = await QueryAsync(id => UsyncCodec.BuildDeviceQuery(id, missing), cancellationToken).ConfigureAwait(false);
            var parsed = UsyncCodec.ParseDevices(answer);
            var mappings = parsed
                .Where(user => user.User.IsPn && user.Lid is not null)
                .Select(user => new LidPnMapping(user.Lid!.Value.User, user.User.User))
                .ToArray();
            if (mappings.Length > 0)
            {
                await stores.LidMap.StoreMappingsAsync(mappings, cancellationToken).ConfigureAwait(false);
            }

            var now = Time.GetUtcNow();
            var entries = parsed.Select(user => new DeviceListEntry(user.User.ToString(), user.Devices, now)).ToArray();
            await stores.DeviceLists.PutAsync(entries, cancellationToken).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                cached[entry.User] = entry;
            }
        }

        var lids = await stores.LidMap.GetLidsForPnsAsync(
            users.Where(user => user.IsPn).Select(user => user.User).ToArray(), cancellationToken).ConfigureAwait(false);
        var devices = new List<Jid>();
        foreach (var user in users)
        {
            if (!cached.TryGetValue(user.ToString(), out var entry))
            {
                continue;
            }

            var baseJid = user.IsPn && lids.TryGetValue(user.User, out var lid) ? new Jid(lid, JidServer.Lid) : user;
            devices.AddRange(entry.DeviceIds.Select(device => baseJid.WithDevice((ushort)device)));
        }

        return devices;
    }

    /// <summary>
    /// Makes sure each device has an open session: adopts one kept under the phone-number address (first
    /// contact came before we knew the LID), else fetches prekey bundles in one request. Returns the devices
    /// that have a session now; devices the server gave no bundle for are left out. Also returns the open
    /// sessions it loaded, so the caller (holding the Signal gate, under which every session write happens) need
    /// not read them again; sessions it created are not among them.
    /// </summary>
    private async Task<(List<Jid> Devices, IReadOnlyDictionary<ProtocolAddress, SessionRecord> Loaded)> EnsureSessionsAsync(
        List<Jid> devices, CancellationToken cancellationToken)
    {
        var addresses = devices.Select(Addressing.ToProtocolAddress).ToArray();
        var existing = await ActiveSignal.Sessions.LoadSessionsAsync(addresses, cancellationToken).ConfigureAwait(false);
        var missing = devices.Where(device => !(existing.TryGetValue(Addressing.ToProtocolAddress(device), out var record) && record.HasOpenSession)).ToList();
        var loaded = existing.Where(pair => pair.Value.HasOpenSession).ToDictionary(pair => pair.Key, pair => pair.Value);
        if (missing.Count == 0)
        {
            return (devices, loaded);
        }

        await AdoptPhoneNumberSessionsAsync(missing, cancellationToken).ConfigureAwait(false);
        if (missing.Count > 0)
        {
            var answer = await QueryAsync(id => PreKeyCodec.BuildFetch(id, missing), cancellationToken).ConfigureAwait(false);
            var bundles = PreKeyCodec.ParseBundles(answer);
            var builder = new SessionBuilder(ActiveSignal, options.Random);
            foreach (var (jid, bundle) in bundles)
            {
                var target = missing.FirstOrDefault(device => device.User == jid.User && device.Device == jid.Device && device.Server == jid.Server);
                if (target.IsEmpty)
                {
                    continue;
                }

                try
                {
                    await builder.ProcessBundleAsync(Addressing.ToProtocolAddress(target), bundle, cancellationToken).ConfigureAwait(false);
                    missing.Remove(target);
                }
                catch (SignalProtocolException ex)
                {
                    log.LogWarning("refused a prekey bundle for {Device}: {Error}", Addressing.Mask(target), ex.Error);
                }
            }
        }

        return (devices.Except(missing).ToList(), loaded);
    }

    private async Task AdoptPhoneNumberSessionsAsync(List<Jid> missing, CancellationToken cancellationToken)
    {
        var lidUsers = missing.Where(device => device.IsLid).Select(device => device.User).Distinct().ToArray();
        if (lidUsers.Length == 0)
        {
            return;
        }

        var pns = await stores.LidMap.GetPnsForLidsAsync(lidUsers, cancellationToken).ConfigureAwait(false);
        foreach (var device in missing.ToArray())
        {
            if (!device.IsLid || !pns.TryGetValue(device.User, out var pn))
            {
                continue;
            }

            var pnAddress = Addressing.ToProtocolAddress(new Jid(pn, JidServer.User, device.Device));
            if (await ActiveSignal.Sessions.LoadSessionAsync(pnAddress, cancellationToken).ConfigureAwait(false) is { HasOpenSession: true } record)
            {
                await ActiveSignal.Sessions.StoreSessionAsync(Addressing.ToProtocolAddress(device), record, cancellationToken).ConfigureAwait(false);
                if (record.RemoteIdentityKey is { } identity)
                {
                    await ActiveSignal.Identities.SaveIdentityAsync(Addressing.ToProtocolAddress(device), identity, cancellationToken).ConfigureAwait(false);
                }

                missing.Remove(device);
            }
        }
    }

    /// <summary>The address a sender's session lives under: LID when known (from the stanza or the map), else PN.</summary>
    private async Task<Jid> ResolveSessionJidAsync(Jid sender, Jid? senderLid, CancellationToken cancellationToken)
    {
        if (!sender.IsPn)
        {
            return sender;
        }

        if (senderLid is { IsLid: true } lid)
        {
            await stores.LidMap.StoreMappingsAsync([new LidPnMapping(lid.User, sender.User)], cancellationToken).ConfigureAwait(false);
            return new Jid(lid.User, JidServer.Lid, sender.Device);
        }

        var known = await stores.LidMap.GetLidsForPnsAsync([sender.User], cancellationToken).ConfigureAwait(false);
        return known.TryGetValue(sender.User, out var lidUser) ? new Jid(lidUser, JidServer.Lid, sender.Device) : sender;
    }
}
