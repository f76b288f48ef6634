using Gateway.WebProtocol.Client.Stores;

namespace Gateway.WebProtocol.Tests.Client;

/// <summary>The in-memory device-list and LID caches in front of the client's stores: fewer reads, never stale.</summary>
public sealed class CachedStoresTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    [Fact]
    public async Task Device_lists_are_read_once_and_follow_every_write()
    {
        var inner = new CountingDeviceLists();
        var cache = new CachedDeviceListStore(inner);
        await inner.PutAsync([new DeviceListEntry("a@s.whatsapp.net", [0], At)], None);

        Assert.Equal([0], (await cache.GetAsync(["a@s.whatsapp.net"], None))["a@s.whatsapp.net"].DeviceIds);
        Assert.Equal([0], (await cache.GetAsync(["a@s.whatsapp.net"], None))["a@s.whatsapp.net"].DeviceIds);
        Assert.Equal(1, inner.Reads);

        await cache.PutAsync([new DeviceListEntry("a@s.whatsapp.net", [0, 2], At)], None);
        Assert.Equal([0, 2], (await cache.GetAsync(["a@s.whatsapp.net"], None))["a@s.whatsapp.net"].DeviceIds);
        Assert.Equal(1, inner.Reads);

        await cache.RemoveAsync(["a@s.whatsapp.net"], None);
        Assert.Empty(await cache.GetAsync(["a@s.whatsapp.net"], None));
        Assert.Equal(2, inner.Reads);
    }

    [Fact]
    public async Task A_read_that_raced_with_a_removal_does_not_bring_the_list_back()
    {
        var inner = new CountingDeviceLists();
        await inner.PutAsync([new DeviceListEntry("a@s.whatsapp.net", [0], At)], None);
        var cache = new CachedDeviceListStore(inner);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        inner.BeforeRead = release.Task;

        // The read captures the stored list, then waits; the removal lands meanwhile.
        var read = cache.GetAsync(["a@s.whatsapp.net"], None);
        await inner.ReadStarted.Task;
        inner.BeforeRead = null;
        await cache.RemoveAsync(["a@s.whatsapp.net"], None);
        release.SetResult();
        Assert.Single(await read); // it answers what it read...

        Assert.Empty(await cache.GetAsync(["a@s.whatsapp.net"], None)); // ...but did not keep it
    }

    [Fact]
    public async Task Lid_pairs_are_read_once_and_a_new_mapping_unmaps_the_old_one()
    {
        var inner = new CountingLidMap();
        var cache = new CachedLidMapStore(inner);
        await cache.StoreMappingsAsync([new LidPnMapping("100", "555")], None);

        Assert.Equal("100", (await cache.GetLidsForPnsAsync(["555"], None))["555"]);
        Assert.Equal("100", (await cache.GetLidsForPnsAsync(["555"], None))["555"]);
        Assert.Equal("555", (await cache.GetPnsForLidsAsync(["100"], None))["100"]);
        Assert.Equal(2, inner.Reads);

        // The number moves to a new LID: the old LID is unmapped in the store, and the cache forgets it too.
        await cache.StoreMappingsAsync([new LidPnMapping("200", "555")], None);
        Assert.Equal("200", (await cache.GetLidsForPnsAsync(["555"], None))["555"]);
        Assert.Empty(await cache.GetPnsForLidsAsync(["100"], None));
    }

    [Fact]
    public async Task A_user_without_a_partner_is_read_once_until_a_mapping_is_stored()
    {
        var inner = new CountingLidMap();
        var cache = new CachedLidMapStore(inner);

        Assert.Empty(await cache.GetPnsForLidsAsync(["300"], None));
        Assert.Empty(await cache.GetPnsForLidsAsync(["300"], None));
        Assert.Empty(await cache.GetLidsForPnsAsync(["777"], None));
        Assert.Empty(await cache.GetLidsForPnsAsync(["777"], None));
        Assert.Equal(2, inner.Reads);

        // Once the sender's number is learnt, the missing entry is gone with everything else kept.
        await cache.StoreMappingsAsync([new LidPnMapping("300", "777")], None);
        Assert.Equal("777", (await cache.GetPnsForLidsAsync(["300"], None))["300"]);
        Assert.Equal("300", (await cache.GetLidsForPnsAsync(["777"], None))["777"]);
        Assert.Equal(4, inner.Reads);
    }

    [Fact]
    public async Task The_caches_stay_bounded_however_many_contacts_a_tenant_writes_to()
    {
        var lists = new CountingDeviceLists();
        var devices = new CachedDeviceListStore(lists);
        var lids = new CountingLidMap();
        var pairs = new CachedLidMapStore(lids);
        var contacts = Enumerable.Range(0, CachedDeviceListStore.MaxEntries * 3).Select(i => $"{1000 + i}").ToList();
        await lists.PutAsync(contacts.Select(c => new DeviceListEntry(c + "@s.whatsapp.net", [0], At)).ToList(), None);
        await lids.StoreMappingsAsync(contacts.Select(c => new LidPnMapping("9" + c, c)).ToList(), None);

        foreach (var contact in contacts)
        {
            Assert.Single(await devices.GetAsync([contact + "@s.whatsapp.net"], None));
            Assert.Equal("9" + contact, (await pairs.GetLidsForPnsAsync([contact], None))[contact]);
        }

        Assert.InRange(devices.Count, 1, CachedDeviceListStore.MaxEntries);
        Assert.InRange(pairs.Count, 1, CachedLidMapStore.MaxEntries * 2);
        // The most recent contact is still served from memory.
        var reads = lists.Reads;
        Assert.Single(await devices.GetAsync([contacts[^1] + "@s.whatsapp.net"], None));
        Assert.Equal(reads, lists.Reads);
    }

    private sealed class CountingDeviceLists : IDeviceListStore
    {
        private readonly InMemoryDeviceListStore store = new();

        public int Reads { get; private set; }

        public Task? BeforeRead { get; set; }

        public TaskCompletionSource ReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task PutAsync(IReadOnlyCollection<DeviceListEntry> entries, CancellationToken cancellationToken) => store.PutAsync(entries, cancellationToken);

        public async Task<IReadOnlyDictionary<string, DeviceListEntry>> GetAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken)
        {
            Reads++;
            var answer = await store.GetAsync(users, cancellationToken);
            ReadStarted.TrySetResult();
            if (BeforeRead is { } wait)
            {
                await wait;
            }

            return answer;
        }

        public Task RemoveAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken) => store.RemoveAsync(users, cancellationToken);
    }

    private sealed class CountingLidMap : ILidMapStore
    {
        private readonly InMemoryLidMapStore store = new();

        public int Reads { get; private set; }

        public Task StoreMappingsAsync(IReadOnlyCollection<LidPnMapping> mappings, CancellationToken cancellationToken) => store.StoreMappingsAsync(mappings, cancellationToken);

        public Task<IReadOnlyDictionary<string, string>> GetLidsForPnsAsync(IReadOnlyCollection<string> pnUsers, CancellationToken cancellationToken)
        {
            Reads++;
            return store.GetLidsForPnsAsync(pnUsers, cancellationToken);
        }

        public Task<IReadOnlyDictionary<string, string>> GetPnsForLidsAsync(IReadOnlyCollection<string> lidUsers, CancellationToken cancellationToken)
        {
            Reads++;
            return store.GetPnsForLidsAsync(lidUsers, cancellationToken);
        }
    }
}
