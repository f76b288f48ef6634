using Gateway.WebProtocol.Client;

namespace Gateway.Client.Tests;

/// <summary>
/// Reads a client's event channel into a list so a test can wait for any event, in any order, without
/// losing the ones it did not wait for yet.
/// </summary>
internal sealed class ClientEvents
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    private readonly List<WaEvent> seen = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClientEvents(WaClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Pump = Task.Run(async () =>
        {
            await foreach (var e in client.Events.ReadAllAsync())
            {
                lock (seen)
                {
                    seen.Add(e);
                    changed.TrySetResult();
                    changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        });
    }

    /// <summary>Ends when the client's channel completes (on dispose).</summary>
    public Task Pump { get; }

    public IReadOnlyList<T> All<T>(Func<T, bool>? match = null)
        where T : WaEvent
    {
        lock (seen)
        {
            return seen.OfType<T>().Where(e => match is null || match(e)).ToArray();
        }
    }

    /// <summary>The first event since the client started that matches (past ones count).</summary>
    public Task<T> WaitForAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null)
        where T : WaEvent =>
        WaitForAsync(0, match, timeout);

    /// <summary>The first matching event after the first <paramref name="skip"/> events of that type.</summary>
    public async Task<T> WaitForAsync<T>(int skip, Func<T, bool>? match = null, TimeSpan? timeout = null)
        where T : WaEvent
    {
        using var limit = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            Task wake;
            lock (seen)
            {
                if (seen.OfType<T>().Skip(skip).FirstOrDefault(e => match is null || match(e)) is { } found)
                {
                    return found;
                }

                wake = changed.Task;
            }

            try
            {
                await wake.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no matching {typeof(T).Name}; events: {Describe()}");
            }
        }
    }

    private string Describe()
    {
        lock (seen)
        {
            return string.Join(" | ", seen.TakeLast(30).Select(e => e.GetType().Name + (e is DisconnectedEvent d ? $"({d.Reason.Kind})" : "")));
        }
    }
}
