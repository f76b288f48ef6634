using System.Reflection;
using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// LiteDB 5 returns from Commit() once the transaction's pages are queued for its background log writer, not
/// once they are written: a process killed right after a commit could lose it. After each commit we wait for
/// that queue to drain, so a committed unit of work is in the operating system's hands (it survives the process
/// being killed) before the caller acks anything to WhatsApp. The queue is internal to LiteDB, so it is reached
/// by reflection; the shape is checked when a store opens and a LiteDB upgrade that changes it fails loudly there,
/// never silently later. The crash test (SIGKILL after reported commits) is what proves this matters.
/// The wait is short since the log is our <see cref="TenantFileStream"/>: LiteDB's writer flushes the log each time
/// its queue drains, and that flush used to be an fsync that the next commit's pages queued behind; now it only
/// hands the pages to the operating system, and fsync follows <see cref="TenantStoreOptions.Fsync"/>.
/// </summary>
internal sealed class LogWriteFence
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    private readonly object _lazyQueue;
    private readonly PropertyInfo _isValueCreated;
    private readonly PropertyInfo _value;
    private Action? _wait;

    private LogWriteFence(object lazyQueue)
    {
        _lazyQueue = lazyQueue;
        var lazyType = lazyQueue.GetType();
        _isValueCreated = lazyType.GetProperty("IsValueCreated") ?? throw Unsupported("Lazy.IsValueCreated");
        _value = lazyType.GetProperty("Value") ?? throw Unsupported("Lazy.Value");
    }

    public static LogWriteFence For(LiteDatabase database)
    {
        var engine = typeof(LiteDatabase).GetField("_engine", Instance)?.GetValue(database)
            ?? throw Unsupported("LiteDatabase._engine");
        var disk = engine.GetType().GetField("_disk", Instance)?.GetValue(engine)
            ?? throw Unsupported("LiteEngine._disk");
        var queue = disk.GetType().GetProperty("Queue", Instance)?.GetValue(disk)
            ?? throw Unsupported("DiskService.Queue");
        return new LogWriteFence(queue);
    }

    /// <summary>Blocks until every page queued so far has been written to the log file.</summary>
    public void WaitForQueuedWrites()
    {
        var wait = _wait;
        if (wait is null)
        {
            if (!(bool)_isValueCreated.GetValue(_lazyQueue)!)
            {
                return; // nothing was ever queued
            }
            var queue = _value.GetValue(_lazyQueue)!;
            var method = queue.GetType().GetMethod("Wait", Instance, Type.EmptyTypes) ?? throw Unsupported("DiskWriterQueue.Wait");
            wait = _wait = method.CreateDelegate<Action>(queue);
        }
        wait();
    }

    private static NotSupportedException Unsupported(string member) =>
        new($"This LiteDB build has no {member}; the commit fence needs LiteDB 5.0.x (see LogWriteFence).");
}
