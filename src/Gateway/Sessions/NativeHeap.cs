using System.Runtime.InteropServices;

namespace Gateway.Sessions;

/// <summary>
/// The C heap's side of giving idle memory back. SQLite allocates its page caches with malloc; when an idle tenant's
/// connections close, glibc keeps the freed memory in its arenas, so resident memory stays at the busiest moment's.
/// malloc_trim(0) returns the whole free pages of every arena to the system. Fewer arenas leave less of it stranded
/// between live blocks: the service unit and the image set MALLOC_ARENA_MAX, which glibc reads only at process start.
/// </summary>
internal static class NativeHeap
{
    /// <summary>Trims the C heap where the platform has malloc_trim (glibc); false elsewhere or when nothing was returned.</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return MallocTrim(0) != 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false; // a C library without malloc_trim (musl)
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    // Blittable arguments, so the classic import needs no marshalling and no unsafe code.
#pragma warning disable SYSLIB1054 // LibraryImport would need the whole project compiled with unsafe code
    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
#pragma warning restore SYSLIB1054
}
