using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Client.Connection;

/// <summary>
/// Correlates iq requests with their answers by id. Ids look like WhatsApp Web's: a random
/// <c>u16.u16-</c> prefix per connection and a counter.
/// </summary>
internal sealed class IqTracker
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Node>> pending = new(StringComparer.Ordinal);
    private readonly string prefix;
    private long counter;
    private Exception? closedWith;

    public IqTracker(RandomNumberGenerator random)
    {
        Span<byte> bytes = stackalloc byte[4];
        random.GetBytes(bytes);
        prefix = string.Create(
            CultureInfo.InvariantCulture, $"{(ushort)(bytes[0] << 8 | bytes[1])}.{(ushort)(bytes[2] << 8 | bytes[3])}-");
    }

    public int PendingCount => pending.Count;

    public string NextId() => string.Create(CultureInfo.InvariantCulture, $"{prefix}{Interlocked.Increment(ref counter)}");

    /// <summary>Starts waiting for the answer to <paramref name="id"/>; register before sending.</summary>
    public Task<Node> Register(string id)
    {
        var source = new TaskCompletionSource<Node>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Volatile.Read(ref closedWith) is { } closed)
        {
            source.SetException(closed);
            return source.Task;
        }

        if (!pending.TryAdd(id, source))
        {
            throw new InvalidOperationException("an iq with this id is already waiting");
        }

        return source.Task;
    }

    public void Forget(string id) => pending.TryRemove(id, out _);

    /// <summary>Completes the waiting request if <paramref name="node"/> answers one; false for anything else.</summary>
    public bool TryComplete(Node node)
    {
        if (node.Tag != "iq" || node.GetAttribute("type") is not ("result" or "error") || node.GetAttribute("id") is not { } id)
        {
            return false;
        }

        if (!pending.TryRemove(id, out var source))
        {
            return false;
        }

        source.TrySetResult(node);
        return true;
    }

    /// <summary>Fails every waiting request and every later one: the connection is gone.</summary>
    public void FailAll(Exception reason)
    {
        Volatile.Write(ref closedWith, reason);
        foreach (var id in pending.Keys)
        {
            if (pending.TryRemove(id, out var source))
            {
                source.TrySetException(reason);
            }
        }
    }
}
