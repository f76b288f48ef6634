using Gateway.SessionStore;
using Gateway.SessionStore.Abstractions;

// Child process for the SessionStore tests. Modes:
//   write <sessionsDir> <tenantId>  commits numbered units of work until killed, printing "committed N" after each
//   hold <sessionsDir> <tenantId>   opens the store, prints "open", keeps it until stdin closes
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: write|hold <sessionsDir> <tenantId>");
    return 2;
}

var (mode, sessionsDir, tenantId) = (args[0], args[1], args[2]);
using var store = TenantStore.Open(sessionsDir, tenantId);
switch (mode)
{
    case "hold":
        Console.Out.WriteLine("open");
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
        return 0;
    case "write":
        await CrashWrites.RunAsync(store, CancellationToken.None);
        return 0;
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}

internal static class CrashWrites
{
    /// <summary>
    /// Each unit of work writes a pair that must be both there or both absent: message record m-N and outbox
    /// event e-N. N continues after what is already committed, so one tenant can be killed many times.
    /// </summary>
    public static async Task RunAsync(TenantStore store, CancellationToken cancellationToken)
    {
        var pending = await store.Outbox.ReadPendingAsync(int.MaxValue, cancellationToken);
        var next = pending.Count;
        var stdout = Console.Out;
        while (true)
        {
            var n = next++;
            var at = DateTimeOffset.UnixEpoch.AddSeconds(n);
            await store.RunInTransactionAsync(async (stores, ct) =>
            {
                await stores.Messages.PutAsync(
                    [new MessageRecord { Id = $"m-{n}", Direction = MessageDirection.Inbound, Chat = "c@s.whatsapp.net", Status = MessageStatus.Received, CreatedAt = at, UpdatedAt = at }],
                    ct);
                await stores.Outbox.AppendAsync([new NewOutboxEvent($"e-{n}", "message", new byte[64], at)], ct);
            }, cancellationToken);
            await stdout.WriteLineAsync($"committed {n}");
            await stdout.FlushAsync(cancellationToken);
        }
    }
}
