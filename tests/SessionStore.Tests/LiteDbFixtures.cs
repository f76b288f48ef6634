using System.Globalization;
using System.Text.Json;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Types;

namespace Gateway.SessionStore.Tests;

/// <summary>
/// The tenant folders written by the LiteDB version (Fixtures/LiteDb, see its README.md) and what manifest.json says
/// each holds. Also compiled into Gateway.Tests, which copies the same fixtures beside its tests.
/// </summary>
internal static class LiteDbFixtures
{
    public const string Plain = "upgrade-plain";
    public const string Keyed = "upgrade-keyed";

    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "LiteDb");

    public static JsonElement Manifest { get; } = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "manifest.json"))).RootElement.Clone();

    public static JsonElement Tenant(string tenantId) => Manifest.GetProperty("tenants").GetProperty(tenantId);

    /// <summary>The store key the tenant was written with (GATEWAY_STORE_KEY), null for a plain one.</summary>
    public static string? StoreKey(string tenantId) => Tenant(tenantId).GetProperty("storeKey").GetString();

    /// <summary>Copies the tenant's folder as the LiteDB version left it into <paramref name="sessionsDir"/>.</summary>
    public static string CopyTenant(string tenantId, string sessionsDir)
    {
        var target = Path.Combine(sessionsDir, tenantId);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(Folder, tenantId)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    /// <summary>The manifest's instants are ISO 8601 UTC, exact to the tick.</summary>
    public static DateTimeOffset Instant(JsonElement value) =>
        DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public static DateTimeOffset? OptionalInstant(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : Instant(value);

    public static byte[] Bytes(JsonElement value) => Convert.FromBase64String(value.GetString()!);

    public static int? OptionalInt(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt32();

    public static IEnumerable<JsonElement> Items(JsonElement tenant, string name) => tenant.GetProperty(name).EnumerateArray();

    /// <summary>A Signal store key "name.device" (<see cref="ProtocolAddress.ToString"/>) as the address it names.</summary>
    public static ProtocolAddress Address(string key)
    {
        var dot = key.LastIndexOf('.');
        return new ProtocolAddress(key[..dot], uint.Parse(key[(dot + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>The Signal address of a device by its JID ("user:device@lid" is "user_1.device"), as the client forms it.</summary>
    public static ProtocolAddress DeviceAddress(string jid) => Address(Jid.Parse(jid).ToSignalAddress());
}
