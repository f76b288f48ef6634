namespace Gateway.SessionStore.Storage;

/// <summary>
/// Exclusive ownership of one tenant's files. SQLite lets a second process open the same database (its locks are
/// per transaction), and two processes must never both connect with one tenant's credentials, so ownership is a
/// lock file opened with FileShare.None,
/// which .NET maps to flock(LOCK_EX | LOCK_NB): held per open file, released by the kernel when the process dies,
/// even by SIGKILL. An in-process registry also refuses a second owner in this process.
/// </summary>
internal sealed class TenantLock : IDisposable
{
    private static readonly HashSet<string> HeldInProcess = new(StringComparer.Ordinal);
    private static readonly Lock RegistrySync = new();

    private readonly string _path;
    private FileStream? _handle;

    private TenantLock(string path, FileStream handle)
    {
        _path = path;
        _handle = handle;
    }

    public static TenantLock Acquire(TenantPaths paths, string tenantId)
    {
        lock (RegistrySync)
        {
            if (!HeldInProcess.Add(paths.Lock))
            {
                throw new TenantStoreLockedException(tenantId);
            }
        }
        try
        {
            Directory.CreateDirectory(paths.Directory);
            var handle = new FileStream(paths.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            return new TenantLock(paths.Lock, handle);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            Release(paths.Lock);
            throw new TenantStoreLockedException(tenantId, ex);
        }
        catch
        {
            Release(paths.Lock);
            throw;
        }
    }

    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref _handle, null);
        if (handle is null)
        {
            return;
        }
        handle.Dispose();
        Release(_path);
    }

    private static void Release(string path)
    {
        lock (RegistrySync)
        {
            HeldInProcess.Remove(path);
        }
    }
}
