using System.Reflection;
using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// LiteDB 5 grows an engine's page cache by segments of 12, 50, 100, 500 and 1000 pages of 8 KB and never gives
/// a segment back while the engine is open. A tenant store's working set is a few dozen pages, but one large
/// transaction (the 812 one-time prekeys stored at pairing) takes the cache to its third segment, 162 pages
/// (1.3 MB), for the life of the session: with one engine per tenant that was most of an idle session's resident
/// memory. Flat segments of 12 pages (96 KB) keep each cache near its working set; LiteDB recycles its least
/// recently used clean pages before it extends, so a busy store still grows as far as it needs. The sizes are a
/// public static array on LiteDB's internal Constants class, read by each new engine; the shape is checked and a
/// LiteDB upgrade that changes it fails loudly when the first store opens.
/// Small segments make LiteDB recycle clean pages often, and its recycling races with readers that run beside a
/// commit ("Page type must be data page" under concurrent sends, seen when this was first tried). Every use of an
/// engine now goes through <see cref="StoreEngine"/>'s lock, commit fence included, so nothing inside LiteDB runs
/// concurrently any more. The load run that failed within seconds then (`load 4 --messages 4000`, 20 sends in flight)
/// passes with the lock; the concurrent store tests run with these segments, though they did not reproduce the race.
/// </summary>
internal static class PageCacheSegments
{
    /// <summary>Pages per cache segment: LiteDB's own first (smallest) size.</summary>
    public const int Pages = 12;

    private static readonly Lazy<bool> Applied = new(Apply, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Sets the segment sizes once per process, before the first engine opens.</summary>
    public static void EnsureApplied() => _ = Applied.Value;

    private static bool Apply()
    {
        var constants = typeof(LiteDatabase).Assembly.GetType("LiteDB.Constants") ?? throw Unsupported("LiteDB.Constants");
        var field = constants.GetField("MEMORY_SEGMENT_SIZES", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw Unsupported("Constants.MEMORY_SEGMENT_SIZES");
        if (field.GetValue(null) is not int[] sizes || sizes.Length == 0)
        {
            throw Unsupported("Constants.MEMORY_SEGMENT_SIZES as int[]");
        }

        Array.Fill(sizes, Pages); // in place: engines read the array each time their cache extends
        return true;
    }

    private static NotSupportedException Unsupported(string member) =>
        new($"This LiteDB version has no {member}; the page cache segment sizes cannot be set.");
}
