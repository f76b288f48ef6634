using Gateway.Emulator;
using Gateway.Emulator.Tests;
using Gateway.SessionStore;
using Gateway.SessionStore.Abstractions;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Signal.Stores;
using Gateway.WebProtocol.Types;

namespace Gateway.Client.Tests;

/// <summary>
/// Sends that wait for the Signal gate behind one another are encrypted together and committed in one unit of work
/// over a real tenant store, before any of their stanzas leaves; a send whose own writes fail is the only one lost.
/// </summary>
public sealed class OutboundBatchTests : IAsyncLifetime
{
    private const string OursPhone = "15550000501";
    private const string PeerPhone = "15550000502";
    private static readonly Jid Peer = new(PeerPhone, JidServer.User);
    private readonly TempTenantStore tenant = new("ours");
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
    private readonly List<string> journal = [];
    private EmulatorServer emulator = null!;
    private TestClient ours = null!;
    private TestClient peer = null!;

    private TenantStore Store => tenant.Store;

    public async Task InitializeAsync()
    {
        emulator = await EmulatorServer.StartAsync();
        ours = await TestClient.PairAsync(emulator, OursPhone, null, tenant.ClientStores());
        peer = await TestClient.PairAsync(emulator, PeerPhone);
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
    public async Task Sends_queued_behind_a_commit_are_encrypted_together_and_committed_once()
    {
        // A first send looks up the peer's devices and starts the sessions (writes of their own); then only sends commit.
        var warm = await ours.Client.SendTextAsync(Peer, "hello", timeout.Token);
        await peer.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == warm);
        var commits = Store.Commits;
        var held = new RecordingSend(this, "m0") { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var first = ours.Client.SendMessageAsync(Peer, Text("m0"), timeout.Token, "3EB0M0", held);
        await held.Entered.Task.WaitAsync(timeout.Token);
        var queued = Enumerable.Range(1, 5).Select(n => ours.Client.SendMessageAsync(Peer, Text($"m{n}"), timeout.Token, $"3EB0M{n}", new RecordingSend(this, $"m{n}"))).ToList();
        Assert.Equal(5, ours.Client.QueuedSends);

        held.Hold.SetResult();
        await first;
        await Task.WhenAll(queued);

        Assert.Equal(["single m0", "batch m1,m2,m3,m4,m5"], Journal);
        Assert.Equal(commits + 2, Store.Commits);
        var texts = new List<string>();
        for (var n = 0; n <= 5; n++)
        {
            texts.Add((await peer.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == $"3EB0M{n}")).Message.Text!);
            Assert.NotNull(await Store.Messages.GetByIdAsync($"3EB0M{n}", timeout.Token));
        }

        Assert.Equal(["m0", "m1", "m2", "m3", "m4", "m5"], texts);
        Assert.Empty(peer.Events.All<DecryptionFailedEvent>());
    }

    [Fact]
    public async Task A_send_whose_record_fails_in_a_batch_fails_alone_and_the_session_goes_on()
    {
        var held = new RecordingSend(this, "m0") { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var first = ours.Client.SendMessageAsync(Peer, Text("m0"), timeout.Token, "3EB0M0", held);
        await held.Entered.Task.WaitAsync(timeout.Token);
        var before = ours.Client.SendMessageAsync(Peer, Text("m1"), timeout.Token, "3EB0M1", new RecordingSend(this, "m1"));
        var refused = ours.Client.SendMessageAsync(Peer, Text("m2"), timeout.Token, "3EB0M2", new RecordingSend(this, "m2") { Refuse = true });
        var after = ours.Client.SendMessageAsync(Peer, Text("m3"), timeout.Token, "3EB0M3", new RecordingSend(this, "m3"));

        held.Hold.SetResult();
        await Task.WhenAll(first, before, after);
        Assert.Equal("refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => refused)).Message);
        Assert.Null(await Store.Messages.GetByIdAsync("3EB0M2", timeout.Token));

        // The refused message's key is skipped: the ones after it, and later ones, decrypt.
        var later = await ours.Client.SendTextAsync(Peer, "m4", timeout.Token);
        foreach (var id in new[] { "3EB0M1", "3EB0M3", later })
        {
            await peer.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == id);
        }

        Assert.DoesNotContain(peer.Events.All<MessageReceivedEvent>(), e => e.Message.Id == "3EB0M2");
        Assert.Empty(peer.Events.All<DecryptionFailedEvent>());
    }

    private IReadOnlyList<string> Journal
    {
        get
        {
            lock (journal)
            {
                return [.. journal];
            }
        }
    }

    private static WebProtocol.Proto.Message Text(string text) => new() { Conversation = text };

    private static MessageRecord Record(string id) => new()
    {
        Id = id, Direction = MessageDirection.Outbound, Chat = Peer.ToString(), Status = Gateway.SessionStore.Abstractions.MessageStatus.Queued,
        CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    /// <summary>A send's unit of work over the test's store, as the gateway's: its record with the sessions; journaled.</summary>
    private sealed class RecordingSend(OutboundBatchTests test, string name) : IOutboundUnitOfWork
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource? Hold { get; init; }

        public bool Refuse { get; init; }

        private string Name => name;

        private string Id => "3EB0M" + name[1..];

        public Task RunAsync(Func<SignalStores, CancellationToken, Task> storeSessions, CancellationToken cancellationToken) =>
            test.Store.RunInTransactionAsync(
                async (stores, token) =>
                {
                    Entered.TrySetResult();
                    if (Hold is { } hold)
                    {
                        await hold.Task.WaitAsync(token);
                    }

                    await WriteAsync(stores, token);
                    await storeSessions(stores.Signal, token);
                    test.Log("single " + name);
                },
                cancellationToken);

        public bool CanCarry(IOutboundUnitOfWork other) => other is RecordingSend;

        public async Task<IReadOnlyList<Exception?>> RunWithAsync(
            IReadOnlyList<IOutboundUnitOfWork> others, Func<SignalStores, CancellationToken, Task> storeSessions, CancellationToken cancellationToken)
        {
            RecordingSend[] sends = [this, .. others.Cast<RecordingSend>()];
            var failures = new Exception?[sends.Length];
            await test.Store.RunInTransactionAsync(
                async (stores, token) =>
                {
                    for (var i = 0; i < sends.Length; i++)
                    {
                        try
                        {
                            var send = sends[i];
                            await stores.IsolateAsync(async step => { await send.WriteAsync(stores, step); return true; }, token);
                        }
                        catch (InvalidOperationException error)
                        {
                            failures[i] = error;
                        }
                    }

                    await storeSessions(stores.Signal, token);
                    test.Log("batch " + string.Join(",", sends.Select(s => s.Name)));
                },
                cancellationToken);
            return failures;
        }

        private async Task WriteAsync(ITenantStores stores, CancellationToken cancellationToken)
        {
            await stores.Messages.PutAsync([Record(Id)], cancellationToken);
            if (Refuse)
            {
                throw new InvalidOperationException("refused");
            }
        }
    }

    private void Log(string entry)
    {
        lock (journal)
        {
            journal.Add(entry);
        }
    }
}
