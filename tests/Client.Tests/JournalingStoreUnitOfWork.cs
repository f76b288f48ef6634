using Gateway.SessionStore;
using Gateway.SessionStore.Abstractions;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.Client.Tests;

/// <summary>
/// The application's side of the inbound seam over a real tenant store: each unit of work is one transaction that
/// holds the Signal changes and a record per message. Journals units and commits, can hold the next unit until
/// released, and can make the next batch's unit of work throw before it commits.
/// </summary>
internal sealed class JournalingStoreUnitOfWork(TenantStore store) : IInboundUnitOfWork
{
    private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> journal = [];
    private readonly List<int> pendingAtCommit = [];
    private TaskCompletionSource? hold;
    private int units;
    private int commits;

    /// <summary>The emulator's unacknowledged stanzas for the device, read as each unit of work is about to commit.</summary>
    public Func<int> Pending { get; set; } = () => -1;

    public volatile bool FailNextBatch;

    public IReadOnlyList<string> Journal
    {
        get
        {
            lock (journal)
            {
                return [.. journal];
            }
        }
    }

    public IReadOnlyList<int> PendingAtCommit
    {
        get
        {
            lock (journal)
            {
                return [.. pendingAtCommit];
            }
        }
    }

    public int Units => Volatile.Read(ref units);

    public int Commits => Volatile.Read(ref commits);

    /// <summary>Completes when the held unit of work has its message decrypted and waits.</summary>
    public Task Held => held.Task;

    public void HoldNext() => hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => hold?.TrySetResult();

    public async Task RunAsync(Func<SignalStores, CancellationToken, Task<ReceivedMessage>> decrypt, CancellationToken cancellationToken)
    {
        await store.RunInTransactionAsync(
            async (stores, token) =>
            {
                var message = await decrypt(stores.Signal, token);
                await stores.Messages.PutAsync([Record(message)], token);
                await EndAsync("single", [message.Id], token);
            },
            cancellationToken);
        Interlocked.Increment(ref commits);
    }

    public async Task RunBatchAsync(Func<IInboundBatch, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await store.RunInTransactionAsync(
            async (stores, token) =>
            {
                var batch = new Batch(stores);
                await work(batch, token);
                await EndAsync("batch", batch.Ids, token);
            },
            cancellationToken);
        Interlocked.Increment(ref commits);
    }

    private async Task EndAsync(string kind, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref units);
        if (hold is { } waiting)
        {
            held.TrySetResult();
            await waiting.Task.WaitAsync(cancellationToken);
            hold = null;
        }

        lock (journal)
        {
            if (kind == "batch" && FailNextBatch)
            {
                FailNextBatch = false;
                journal.Add("failed batch " + string.Join(",", ids));
                throw new IOException("simulated crash before the commit");
            }

            journal.Add(kind + " " + string.Join(",", ids));
            pendingAtCommit.Add(Pending());
        }
    }

    private static MessageRecord Record(ReceivedMessage message) => new()
    {
        Id = message.Id,
        Direction = MessageDirection.Inbound,
        Chat = message.Chat.ToString(),
        Status = Gateway.SessionStore.Abstractions.MessageStatus.Received,
        CreatedAt = message.Timestamp,
        UpdatedAt = message.Timestamp,
    };

    /// <summary>Each message's decrypt and record in a step of its own, undone alone if it fails.</summary>
    private sealed class Batch(IUnitOfWorkStores stores) : IInboundBatch
    {
        public List<string> Ids { get; } = [];

        public async Task<ReceivedMessage> DecryptAsync(Func<SignalStores, CancellationToken, Task<ReceivedMessage>> decrypt, CancellationToken cancellationToken)
        {
            var message = await stores.IsolateAsync(
                async token =>
                {
                    var decrypted = await decrypt(stores.Signal, token);
                    await stores.Messages.PutAsync([Record(decrypted)], token);
                    return decrypted;
                },
                cancellationToken);
            Ids.Add(message.Id);
            return message;
        }
    }
}
