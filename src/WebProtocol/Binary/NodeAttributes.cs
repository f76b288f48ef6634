using System.Collections;

namespace Gateway.WebProtocol.Binary;

/// <summary>
/// The attributes of a <see cref="Node"/>: string keys to string values in wire order. Lookups scan linearly,
/// which beats hashing for the handful of attributes a stanza carries. Setting an existing key replaces its
/// value in place, the way Baileys' decoder treats a repeated key.
/// </summary>
public sealed class NodeAttributes : IReadOnlyList<KeyValuePair<string, string>>
{
    private KeyValuePair<string, string>[] items;
    private int count;

    public NodeAttributes()
    {
        items = [];
    }

    public NodeAttributes(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        items = capacity == 0 ? [] : new KeyValuePair<string, string>[capacity];
    }

    /// <summary>Shared empty set; adding to it throws.</summary>
    public static NodeAttributes Empty { get; } = new() { IsReadOnly = true };

    public int Count => count;

    public bool IsReadOnly { get; private init; }

    public KeyValuePair<string, string> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)count, nameof(index));
            return items[index];
        }
    }

    /// <summary>Gets the value of <paramref name="key"/> (null when absent) or sets it (appended when new).</summary>
    public string? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : null;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Set(key, value);
        }
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, out string value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = "";
            return false;
        }

        value = items[index].Value;
        return true;
    }

    /// <summary>Adds or replaces <paramref name="key"/>; collection initializers use this.</summary>
    public void Add(string key, string value) => Set(key, value);

    public void Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (IsReadOnly)
        {
            throw new InvalidOperationException("The shared empty attribute set cannot be changed.");
        }

        var index = IndexOf(key);
        if (index >= 0)
        {
            items[index] = new(key, value);
            return;
        }

        if (count == items.Length)
        {
            Array.Resize(ref items, Math.Max(4, count * 2));
        }

        items[count++] = new(key, value);
    }

    public bool Remove(string key)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            return false;
        }

        Array.Copy(items, index + 1, items, index, count - index - 1);
        items[--count] = default;
        return true;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal ReadOnlySpan<KeyValuePair<string, string>> AsSpan() => items.AsSpan(0, count);

    private int IndexOf(string key)
    {
        var span = items.AsSpan(0, count);
        for (var i = 0; i < span.Length; i++)
        {
            if (string.Equals(span[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public struct Enumerator : IEnumerator<KeyValuePair<string, string>>
    {
        private readonly NodeAttributes owner;
        private int index;

        internal Enumerator(NodeAttributes owner)
        {
            this.owner = owner;
            index = -1;
        }

        public readonly KeyValuePair<string, string> Current => owner.items[index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++index < owner.count;

        public void Reset() => index = -1;

        public readonly void Dispose()
        {
        }
    }
}
