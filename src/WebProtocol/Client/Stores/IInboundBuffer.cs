namespace Gateway.WebProtocol.Client.Stores;

/// <summary>
/// Decrypted inbound messages kept until they are acknowledged (whatsmeow's event buffer). The client stores a
/// message's plaintext in the same transaction as the Signal state its decrypt advanced; if the process dies before
/// the acknowledgement, WhatsApp delivers the message again and the client finds it here instead of decrypting it a
/// second time (which would fail: its message key is used up). Keys are hashes of the ciphertext.
/// </summary>
public interface IInboundBuffer
{
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    Task PutAsync(string key, byte[] plaintext, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>Forgets messages that were acknowledged.</summary>
    Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}

/// <summary>Process-lifetime buffer, for tests and throwaway sessions.</summary>
public sealed class InMemoryInboundBuffer : IInboundBuffer
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> entries = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(entries.TryGetValue(key, out var plaintext) ? plaintext : null);

    public Task PutAsync(string key, byte[] plaintext, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        entries[key] = plaintext.ToArray();
        return Task.CompletedTask;
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            entries.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }
}
