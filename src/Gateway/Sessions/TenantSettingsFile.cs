using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Providers.Cloud;

namespace Gateway.Sessions;

/// <summary>
/// Reads and writes <c>settings.json</c> in a tenant's folder, atomically (temporary file, then rename). When a
/// store key is configured (GATEWAY_STORE_KEY) every secret in it (Cloud token, app secret, verify token,
/// webhook secrets) is sealed with AES-GCM under a key derived from it, like the session database itself.
/// </summary>
public sealed class TenantSettingsFile(string? storeKey)
{
    public const string FileName = "settings.json";
    private const string SealedPrefix = "sealed:v1:";

    private readonly byte[]? key = string.IsNullOrEmpty(storeKey)
        ? null
        : HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(storeKey), 32, Encoding.UTF8.GetBytes("gateway-settings-salt"), Encoding.UTF8.GetBytes("tenant settings v1"));

    public static string PathFor(string tenantDirectory) => Path.Combine(tenantDirectory, FileName);

    public TenantSettings? Read(string tenantDirectory)
    {
        var path = PathFor(tenantDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{FileName} of this tenant is not valid JSON.", error);
        }

        if (root is not JsonObject json)
        {
            throw new InvalidDataException($"{FileName} of this tenant is not a JSON object.");
        }

        var provider = (string?)json["provider"] ?? TenantSettings.WebProvider;
        CloudCredentials? cloud = null;
        if (json["cloud"] is JsonObject c)
        {
            cloud = new CloudCredentials(
                (string?)c["phoneNumberId"] ?? "",
                Open((string?)c["accessToken"]),
                Open((string?)c["appSecret"]),
                Open((string?)c["verifyToken"]));
        }

        TenantWebhookSettings? webhook = null;
        if (json["webhook"] is JsonObject w && (string?)w["url"] is { } url)
        {
            var events = w["events"] is JsonArray e ? e.Select(x => (string?)x ?? "").ToArray() : null;
            var secrets = w["secrets"] is JsonArray s ? s.Select(x => Open((string?)x)).ToArray() : [];
            webhook = new TenantWebhookSettings(url, events, secrets);
        }

        var createdAt = json["createdAt"] is JsonValue v && v.TryGetValue<DateTimeOffset>(out var at) ? at : DateTimeOffset.UnixEpoch;
        var autoStart = json["autoStart"] is not JsonValue a || !a.TryGetValue<bool>(out var flag) || flag;
        return new TenantSettings(provider, cloud, webhook, createdAt, autoStart);
    }

    public void Write(string tenantDirectory, TenantSettings settings)
    {
        var json = new JsonObject
        {
            ["provider"] = settings.Provider,
            ["createdAt"] = settings.CreatedAt,
            ["autoStart"] = settings.AutoStart,
        };
        if (settings.Cloud is { } cloud)
        {
            json["cloud"] = new JsonObject
            {
                ["phoneNumberId"] = cloud.PhoneNumberId,
                ["accessToken"] = Seal(cloud.AccessToken),
                ["appSecret"] = Seal(cloud.AppSecret),
                ["verifyToken"] = Seal(cloud.VerifyToken),
            };
        }

        if (settings.Webhook is { } webhook)
        {
            json["webhook"] = new JsonObject
            {
                ["url"] = webhook.Url,
                ["events"] = webhook.Events is null ? null : new JsonArray([.. webhook.Events.Select(e => (JsonNode?)e)]),
                ["secrets"] = new JsonArray([.. webhook.Secrets.Select(s => (JsonNode?)Seal(s))]),
            };
        }

        Directory.CreateDirectory(tenantDirectory);
        var path = PathFor(tenantDirectory);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(json.ToJsonString()));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private string Seal(string plain)
    {
        if (key is null)
        {
            return plain;
        }

        var nonce = RandomNumberGenerator.GetBytes(12);
        var data = Encoding.UTF8.GetBytes(plain);
        var sealedBytes = new byte[12 + data.Length + 16];
        nonce.CopyTo(sealedBytes, 0);
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(12, data.Length), sealedBytes.AsSpan(12 + data.Length));
        return SealedPrefix + Convert.ToBase64String(sealedBytes);
    }

    private string Open(string? stored)
    {
        if (stored is null)
        {
            return "";
        }

        if (!stored.StartsWith(SealedPrefix, StringComparison.Ordinal))
        {
            return stored;
        }

        if (key is null)
        {
            throw new InvalidDataException("This tenant's settings are sealed: GATEWAY_STORE_KEY is needed to read them.");
        }

        var sealedBytes = Convert.FromBase64String(stored[SealedPrefix.Length..]);
        if (sealedBytes.Length < 28)
        {
            throw new InvalidDataException("A sealed setting is truncated.");
        }

        var plain = new byte[sealedBytes.Length - 28];
        try
        {
            using var aes = new AesGcm(key, 16);
            aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(12, plain.Length), sealedBytes.AsSpan(12 + plain.Length), plain);
        }
        catch (AuthenticationTagMismatchException error)
        {
            throw new InvalidDataException("A sealed setting does not open with the configured GATEWAY_STORE_KEY.", error);
        }

        return Encoding.UTF8.GetString(plain);
    }
}
