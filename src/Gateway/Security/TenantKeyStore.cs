using System.Text.Json;
using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>A tenant-scoped API key as stored: never the key itself, only its digest.</summary>
public sealed record TenantKeyRecord(string Id, string TenantId, byte[] Hash, DateTimeOffset CreatedAt);

/// <summary>
/// Tenant-scoped keys in <c>api-keys.json</c> in the sessions folder. Small (one entry per key), rewritten
/// atomically through a temporary file on every change, read once at start.
/// </summary>
public sealed class TenantKeyStore
{
    public const string FileName = "api-keys.json";

    private readonly Lock gate = new();
    private readonly string path;
    private readonly TimeProvider time;
    private List<TenantKeyRecord> records;

    public TenantKeyStore(IOptions<GatewayOptions> options, TimeProvider time)
    {
        this.time = time;
        path = Path.Combine(options.Value.SessionsDir, FileName);
        records = File.Exists(path)
            ? JsonSerializer.Deserialize<List<TenantKeyRecord>>(File.ReadAllBytes(path)) ?? []
            : [];
    }

    public IReadOnlyList<TenantKeyRecord> List()
    {
        lock (gate)
        {
            return [.. records];
        }
    }

    /// <summary>Creates a key for a tenant; the returned secret is shown once and never stored.</summary>
    public (TenantKeyRecord Record, string Secret) Create(string tenantId)
    {
        var secret = ApiKeyHash.NewKey("gwt_");
        var record = new TenantKeyRecord(Guid.NewGuid().ToString("N")[..12], tenantId, ApiKeyHash.Of(secret), time.GetUtcNow());
        lock (gate)
        {
            Save([.. records, record]);
        }

        return (record, secret);
    }

    public bool Revoke(string id)
    {
        lock (gate)
        {
            var remaining = records.Where(r => r.Id != id).ToList();
            if (remaining.Count == records.Count)
            {
                return false;
            }

            Save(remaining);
            return true;
        }
    }

    /// <summary>The tenant a presented key belongs to, comparing every digest in constant time.</summary>
    public string? FindTenant(ReadOnlySpan<byte> presentedHash)
    {
        string? found = null;
        lock (gate)
        {
            foreach (var record in records)
            {
                if (ApiKeyHash.Matches(presentedHash, record.Hash))
                {
                    found = record.TenantId;
                }
            }
        }

        return found;
    }

    private void Save(List<TenantKeyRecord> next)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(next));
        File.Move(temporary, path, overwrite: true);
        records = next;
    }
}
