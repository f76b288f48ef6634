using Microsoft.Win32.SafeHandles;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// One of a tenant's LiteDB files as LiteDB sees it (handed over through EngineSettings.DataStream/LogStream).
/// Every write goes straight to the operating system (no buffer in this process), so a write that returned
/// survives the process being killed. Forcing it to the disk (fsync) is separate: <see cref="Sync"/>, called by
/// the owner's policy, and by <see cref="Flush"/> only where that is set, because LiteDB's log writer flushes
/// each time its queue drains and an fsync there made every commit wait for the disk.
/// LiteDB reaches this stream through its ConcurrentStream wrapper, which locks on it around position and
/// read/write; reads and writes here are positional, so a concurrent <see cref="Sync"/> needs no such lock.
/// </summary>
internal sealed class TenantFileStream : Stream
{
    private readonly SafeFileHandle _handle;
    private readonly bool _syncOnFlush;
    private readonly bool _syncOnShrink;
    private readonly Action _becameDirty;
    private readonly Lock _syncLock = new();
    private long _position;
    private long _length;
    private int _dirty;
    private long _syncs;
    private long _bytesWritten;
    private volatile bool _closed;
    private Exception? _syncFailure;

    private TenantFileStream(SafeFileHandle handle, bool syncOnFlush, bool syncOnShrink, Action becameDirty)
    {
        _handle = handle;
        _syncOnFlush = syncOnFlush;
        _syncOnShrink = syncOnShrink;
        _becameDirty = becameDirty;
        _length = RandomAccess.GetLength(handle);
    }

    /// <param name="path">The file, created when missing.</param>
    /// <param name="syncOnFlush">Whether LiteDB's Flush forces the file to the disk.</param>
    /// <param name="syncOnShrink">Whether cutting the file forces it to the disk at once.</param>
    /// <param name="becameDirty">Called when the first write after a sync lands (to schedule one).</param>
    public static TenantFileStream Open(string path, bool syncOnFlush, bool syncOnShrink, Action becameDirty)
    {
        // FileShare.Read as LiteDB's own writer: a backup may read the file while the store is open.
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            return new TenantFileStream(handle, syncOnFlush, syncOnShrink, becameDirty);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>How many times the file was forced to the disk (for the policy tests).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>How many bytes were written to the file since it opened (diagnostics: LiteDB writes whole pages).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Test seam: runs before each write reaches the file (the fence test holds LiteDB's writer here).</summary>
    public Action? BeforeWrite { get; set; }

    /// <summary>Whether something was written since the last sync.</summary>
    public bool IsDirty => Volatile.Read(ref _dirty) != 0;

    public override bool CanRead => !_closed;
    public override bool CanSeek => !_closed;
    public override bool CanWrite => !_closed;
    public override long Length => Interlocked.Read(ref _length);

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        EnsureOpen();
        var read = RandomAccess.Read(_handle, buffer, _position);
        _position += read;
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureOpen();
        BeforeWrite?.Invoke();
        RandomAccess.Write(_handle, buffer, _position);
        Interlocked.Add(ref _bytesWritten, buffer.Length);
        _position += buffer.Length;
        var end = _position;
        long length;
        while ((length = Interlocked.Read(ref _length)) < end && Interlocked.CompareExchange(ref _length, end, length) != length)
        {
        }
        // Marked after the write returned: a sync that clears the mark later covers this write.
        MarkDirty();
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void SetLength(long value)
    {
        EnsureOpen();
        var shrinks = value < Length;
        RandomAccess.SetLength(_handle, value);
        Interlocked.Exchange(ref _length, value);
        MarkDirty();
        // LiteDB cuts the log after a checkpoint and then reuses transaction ids from 1: a cut that is not on the
        // disk while new pages are could let a power loss mix old and new pages of the same id.
        if (shrinks && _syncOnShrink)
        {
            Sync();
        }
    }

    public override void Flush()
    {
        if (_syncOnFlush)
        {
            Sync();
        }
    }

    /// <summary>Forces everything written so far to the disk; returns at once when nothing was written since the last sync.</summary>
    public void Sync()
    {
        // One sync at a time: a caller that finds another sync running waits for it, and then finds the file clean
        // only if that sync started after its own write (the mark is cleared before the fsync, set after a write).
        lock (_syncLock)
        {
            ThrowIfSyncFailed();
            if (_closed || Interlocked.Exchange(ref _dirty, 0) == 0)
            {
                return;
            }
            try
            {
                RandomAccess.FlushToDisk(_handle);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // After a failed fsync the kernel may have dropped the dirty pages; retrying could report success
                // for lost data, so the file stays failed until the store is reopened.
                Volatile.Write(ref _syncFailure, ex);
                throw;
            }
            Interlocked.Increment(ref _syncs);
        }
    }

    /// <summary>Throws when an earlier sync failed (for instance on the interval timer, which has nobody to tell).</summary>
    public void ThrowIfSyncFailed()
    {
        if (Volatile.Read(ref _syncFailure) is { } failure)
        {
            throw new IOException("An earlier fsync of this tenant file failed; what reached the disk is unknown.", failure);
        }
    }

    /// <summary>
    /// Syncs what is left and closes the file; the owner calls this after LiteDB has closed. Dispose does not close:
    /// LiteDB's wrappers dispose the stream they were handed on some error paths (a wrong key, a damaged header),
    /// and the owner's close is the one place that syncs and closes.
    /// </summary>
    public void CloseFile()
    {
        lock (_syncLock)
        {
            if (_closed)
            {
                return;
            }
            try
            {
                if (_syncFailure is null && Interlocked.Exchange(ref _dirty, 0) != 0)
                {
                    RandomAccess.FlushToDisk(_handle);
                    Interlocked.Increment(ref _syncs);
                }
            }
            finally
            {
                _closed = true;
                _handle.Dispose();
            }
        }
    }

    private void MarkDirty()
    {
        if (Interlocked.Exchange(ref _dirty, 1) == 0)
        {
            _becameDirty();
        }
    }

    private void EnsureOpen() => ObjectDisposedException.ThrowIf(_closed, this);
}
