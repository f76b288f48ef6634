using Gateway.Emulator;
using Gateway.Emulator.Admin;
using Gateway.Emulator.Tests;
using Gateway.SessionStore;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Types;

namespace Gateway.Client.Tests;

/// <summary>
/// Messages that are already waiting when the client gets to them share one unit of work and one commit, over a
/// real tenant store: acked only after it, a message that does not decrypt isolated from the others, a failed
/// commit acking none (and then committing each message alone).
/// </summary>
public sealed class InboundBatchTests : IAsyncLifetime
{
    private const string OursPhone = "15550000401";
    private const string PeerPhone = "15550000402";
    private static readonly Jid Ours = new(OursPhone, JidServer.User);
    private readonly TempTenantStore tenant = new("ours");
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
    private EmulatorServer emulator = null!;
    private JournalingStoreUnitOfWork unit = null!;
    private TestClient ours = null!;
    private TestClient peer = null!;

    private string OursDevice => ours.Client.Device.ToString()!;

    private int Pending => emulator.Admin.GetDevice(OursDevice)!.PendingStanzas;

    private TenantStore Store => tenant.Store;

    public async Task InitializeAsync()
    {
        emulator = await EmulatorServer.StartAsync();
        unit = new JournalingStoreUnitOfWork(Store);
        ours = await TestClient.PairAsync(
            emulator, OursPhone, o => o with { InboundUnitOfWork = unit }, tenant.ClientStores());
        peer = await TestClient.PairAsync(emulator, PeerPhone);
        unit.Pending = () => Pending;
    }

    public async Task DisposeAsync()
    {
        await peer.DisposeAsync();
        await ours.DisposeAsync();
        tenant.Dispose();
        await emulator.DisposeAsync();
        timeout.Dispose();
    }

    [Fact]
    public async Task Messages_waiting_together_are_decrypted_in_one_unit_of_work_and_acked_after_its_commit()
    {
        var first = await HoldOursOnAFirstMessageAsync();
        var ids = await QueueAsync(5);

        unit.Release();
        foreach (var id in ids)
        {
            await ours.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == id);
        }

        Assert.Equal(["single " + first, "batch " + string.Join(",", ids)], unit.Journal);
        Assert.Equal((2, 2), (unit.Units, unit.Commits));
        // Nothing of the batch was acknowledged when it committed; afterwards all of it is.
        Assert.True(unit.PendingAtCommit[1] >= ids.Count, $"pending at the batch's commit: {unit.PendingAtCommit[1]}");
        Assert.True(await Eventually.TrueAsync(() => Pending == 0));
        Assert.Equal([first, .. ids], ours.Events.All<MessageReceivedEvent>().Select(e => e.Message.Id));
        Assert.Equal(["m0", "m1", "m2", "m3", "m4", "m5"], ours.Events.All<MessageReceivedEvent>().Select(e => e.Message.Text));
        foreach (var id in ids)
        {
            await peer.Events.WaitForAsync<MessageStatusEvent>(e => e.MessageId == id && e.Status == MessageStatus.Delivered);
        }
    }

    [Fact]
    public async Task An_undecryptable_message_in_a_batch_gets_a_retry_receipt_and_the_others_are_delivered()
    {
        // The peer answers in a session we started, so its messages are plain msg (the emulator corrupts their MAC).
        var hello = await ours.Client.SendTextAsync(new Jid(PeerPhone, JidServer.User), "hello", timeout.Token);
        await peer.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == hello);
        await ours.Events.WaitForAsync<MessageStatusEvent>(e => e.MessageId == hello && e.Status == MessageStatus.Delivered);
        var first = await HoldOursOnAFirstMessageAsync();
        var before = await QueueAsync(2);
        Assert.True(emulator.Admin.SetFaults(OursDevice, new FaultSettings(CorruptMessages: 1)));
        var corrupt = (await QueueAsync(1, "bad", before.Count))[0];
        var after = await QueueAsync(2, "m", before.Count + 1);

        unit.Release();
        var failed = await ours.Events.WaitForAsync<DecryptionFailedEvent>(e => e.MessageId == corrupt);
        Assert.Equal(1, failed.RetryCount);
        foreach (var id in before.Concat(after))
        {
            await ours.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == id);
        }

        // One commit for the batch, without the message that failed; its events in arrival order.
        Assert.Equal(["single " + first, "batch " + string.Join(",", before.Concat(after))], unit.Journal.Take(2));
        var batchEvents = ours.Events.All<WaEvent>()
            .Select(e => e switch { MessageReceivedEvent r => r.Message.Id, DecryptionFailedEvent f => "failed " + f.MessageId, _ => null })
            .Where(e => e is not null && e != first)
            .Take(5);
        Assert.Equal([before[0], before[1], "failed " + corrupt, after[0], after[1]], batchEvents);

        // The retry receipt went with its ack: nothing of the batch stays pending, and only the failed message's
        // record is missing from the store.
        Assert.True(await Eventually.TrueAsync(() => Pending == 0));
        Assert.Null(await Store.Messages.GetByIdAsync(corrupt, timeout.Token));
        foreach (var id in before.Concat(after))
        {
            Assert.NotNull(await Store.Messages.GetByIdAsync(id, timeout.Token));
        }
    }

    [Fact]
    public async Task A_batch_whose_commit_throws_acks_nothing_of_it_and_each_message_then_commits_alone_once()
    {
        var first = await HoldOursOnAFirstMessageAsync();
        var ids = await QueueAsync(4);
        unit.FailNextBatch = true;

        unit.Release();
        foreach (var id in ids)
        {
            await ours.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == id);
        }

        // Nothing was acked when the batch failed; then each message had a unit of work and a commit of its own.
        Assert.Equal(["single " + first, "failed batch " + string.Join(",", ids), .. ids.Select(id => "single " + id)], unit.Journal);
        Assert.True(unit.PendingAtCommit[^ids.Count] >= ids.Count, $"pending at the first single commit: {unit.PendingAtCommit[^ids.Count]}");
        Assert.True(await Eventually.TrueAsync(() => Pending == 0));
        Assert.Equal([first, .. ids], ours.Events.All<MessageReceivedEvent>().Select(e => e.Message.Id));
        Assert.Empty(ours.Events.All<DecryptionFailedEvent>());
        foreach (var id in ids)
        {
            Assert.NotNull(await Store.Messages.GetByIdAsync(id, timeout.Token));
        }
    }

    /// <summary>The peer's first message reaches our unit of work, which holds it there (and the Signal gate).</summary>
    private async Task<string> HoldOursOnAFirstMessageAsync()
    {
        unit.HoldNext();
        var first = await peer.Client.SendTextAsync(Ours, "m0", timeout.Token);
        await unit.Held.WaitAsync(timeout.Token);
        return first;
    }

    /// <summary>Sends <paramref name="count"/> messages and waits until they are queued in our client, behind the held one.</summary>
    private async Task<List<string>> QueueAsync(int count, string prefix = "m", int already = 0)
    {
        var ids = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            ids.Add(await peer.Client.SendTextAsync(Ours, prefix == "m" ? $"m{already + i}" : prefix, timeout.Token));
        }

        Assert.True(await Eventually.TrueAsync(() => ours.Client.QueuedInbound >= already + count), $"queued: {ours.Client.QueuedInbound}");
        return ids;
    }
}
