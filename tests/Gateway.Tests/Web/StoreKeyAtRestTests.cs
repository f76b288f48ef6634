using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Emulator;
using Gateway.Qr;
using Gateway.SessionStore;
using Gateway.Tests.Support;
using Gateway.WebProtocol.Signal;
using Microsoft.Data.Sqlite;

namespace Gateway.Tests.Web;

/// <summary>
/// Secrets at rest, as a user sets them up: with GATEWAY_STORE_KEY no message text, caption, key or token is in plain
/// in the tenants' files (session.db with its WAL while the gateway runs, settings.json, anything else in the sessions
/// folder), neither while the gateway runs nor after it stopped. The same search over a gateway without a key finds
/// them, so the search itself can fail. The gateway runs as its own process: the emulator's media host is trusted
/// through SSL_CERT_FILE, which only a process of its own reads.
/// </summary>
public sealed class StoreKeyAtRestTests
{
    private const string AdminKey = "at-rest-admin-key-0123456789";
    private const string Sender = "vault-a";
    private const string Recipient = "vault-b";

    [Fact]
    public async Task With_a_store_key_no_message_text_caption_key_or_token_is_in_plain_in_the_tenants_files()
    {
        var storeKey = "store-key-" + Guid.NewGuid().ToString("N");
        var journey = await RunJourneyAsync(storeKey, "15550000081", "15550000082");
        var secrets = journey.Secrets.Concat(TextForms("GATEWAY_STORE_KEY", storeKey)).ToList();

        Assert.Empty(Find(journey.Running, secrets));
        Assert.Empty(Find(journey.Stopped, secrets));
    }

    [Fact]
    public async Task Without_a_store_key_the_same_search_finds_text_caption_secrets_and_keys_in_plain()
    {
        var journey = await RunJourneyAsync(null, "15550000083", "15550000084");

        foreach (var (hits, phase) in new[] { (Find(journey.Running, journey.Secrets), "running"), (Find(journey.Stopped, journey.Secrets), "stopped") })
        {
            var found = hits.Select(h => h.What).ToList();
            foreach (var what in new[] { "message text", "caption", $"{Sender} webhook secret", $"{Recipient} webhook secret" })
            {
                // As written or as JSON escapes it (a base64 secret's '+' is \u002B in settings.json).
                Assert.True(found.Any(f => f == what || f.StartsWith(what + " (", StringComparison.Ordinal)), $"{phase}: {what}");
            }

            foreach (var tenant in new[] { Sender, Recipient })
            {
                foreach (var key in new[] { "NoisePrivateKey", "IdentityPrivateKey", "SignedPreKeyPrivate", "AdvSecretKey" })
                {
                    Assert.True(found.Any(f => f.StartsWith($"{tenant} {key} ", StringComparison.Ordinal)), $"{phase}: {tenant} {key}");
                }
            }
        }

        // The records are the ones the stopped gateway left, so they are looked for in the files it left.
        var stopped = Find(journey.Stopped, journey.Secrets).Select(h => h.What).ToList();
        Assert.Contains(stopped, f => f.StartsWith($"{Sender} Signal session ", StringComparison.Ordinal));
        Assert.Contains(stopped, f => f.StartsWith($"{Recipient} Signal session ", StringComparison.Ordinal));
    }

    /// <summary>
    /// Two tenants linked through the emulator talk over REST (a text, an image with a caption, sent with a tenant
    /// key); the files are read while the gateway runs and after it stopped; then the key material is read back
    /// through the store's public API. Returns what must not be in plain and both readings of the files.
    /// </summary>
    private static async Task<Journey> RunJourneyAsync(string? storeKey, string senderPhone, string recipientPhone)
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var sessionsDir = Directory.CreateTempSubdirectory("gateway-at-rest-").FullName;
        var operatorSecret = "whsec_" + Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
        var environment = new Dictionary<string, string>
        {
            ["GATEWAY_API_KEY"] = AdminKey,
            ["GATEWAY_SESSIONS_DIR"] = sessionsDir,
            ["GATEWAY_LOGS_DIR"] = sessionsDir + "-logs",
            ["WHATSAPP_WS_URL"] = emulator.WebSocketUrl.ToString(),
            ["WHATSAPP_ROOT_KEY"] = emulator.RootPublicKeyHex,
            ["SSL_CERT_FILE"] = emulator.CaCertificatePath,
            ["GATEWAY_WEBHOOK_URL"] = receiver.Url.ToString(),
            ["GATEWAY_WEBHOOK_SECRET"] = operatorSecret,
            ["GATEWAY_ALLOW_PRIVATE_TARGETS"] = "true",
            ["Gateway__Sessions__SendInterval"] = "00:00:00",
            // Stores stay open, so the running gateway's files include the WAL.
            ["Gateway__Sessions__StoreIdleClose"] = "00:00:00",
        };
        if (storeKey is not null)
        {
            environment["GATEWAY_STORE_KEY"] = storeKey;
        }

        var text = "SECRET-MARKER-TEXT-" + Guid.NewGuid().ToString("N");
        var caption = "SECRET-MARKER-CAPTION-" + Guid.NewGuid().ToString("N");
        var secrets = new List<Secret>();
        secrets.AddRange(TextForms("message text", text));
        secrets.AddRange(TextForms("caption", caption));
        secrets.AddRange(TextForms("admin key", AdminKey));
        secrets.AddRange(TextForms("operator webhook secret", operatorSecret));

        Dictionary<string, byte[]> running;
        Dictionary<string, byte[]> stopped;
        await using (var daemon = await DaemonProcess.StartAsync(environment))
        {
            using var admin = Client(daemon, AdminKey);
            await Tenants.LinkAsync(admin, emulator, Sender, senderPhone);
            await Tenants.LinkAsync(admin, emulator, Recipient, recipientPhone);

            // Each tenant's own webhook: its secret is returned once and kept (sealed) in settings.json.
            foreach (var tenant in new[] { Sender, Recipient })
            {
                using var set = await admin.PutAsJsonAsync($"/api/v1/sessions/{tenant}/webhook", new { url = receiver.Url.ToString() });
                var webhook = await set.Content.ReadFromJsonAsync<JsonElement>();
                Assert.True(set.StatusCode == HttpStatusCode.OK, webhook.ToString());
                var secret = webhook.GetProperty("secret").GetString()!;
                secrets.AddRange(TextForms($"{tenant} webhook secret", secret));
                secrets.Add(new($"{tenant} webhook signing key (raw)", Convert.FromBase64String(secret["whsec_".Length..])));
            }

            // The sender sends with a tenant key, as an app would.
            using var created = await admin.PostAsJsonAsync("/api/v1/keys", new { tenantId = Sender });
            var tenantKey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            secrets.AddRange(TextForms("tenant API key", tenantKey));
            using var app = Client(daemon, tenantKey);
            await SendAsync(app, new { to = "+" + recipientPhone, type = "text", message = text });
            var png = QrRenderer.Png("a picture for the vault");
            await SendAsync(app, new { to = "+" + recipientPhone, type = "image", mediaBase64 = Convert.ToBase64String(png), mimeType = "image/png", caption });

            // The recipient's message events went out, so its side committed both messages too.
            await Eventually.HoldsAsync(() => Inbound(receiver, "text").Contains(text) && Inbound(receiver, "caption").Contains(caption));

            running = Snapshot(sessionsDir);
            foreach (var tenant in new[] { Sender, Recipient })
            {
                foreach (var file in new[] { "session.db", "session.db-wal", "settings.json" })
                {
                    Assert.True(running.ContainsKey(Path.Combine(tenant, file)), $"{tenant}/{file} is not there while the gateway runs");
                }

                Assert.NotEmpty(running[Path.Combine(tenant, "session.db-wal")]);
            }

            Assert.Equal(0, await daemon.StopAsync());
            stopped = Snapshot(sessionsDir);
        }

        foreach (var tenant in new[] { Sender, Recipient })
        {
            secrets.AddRange(await KeyMaterialAsync(sessionsDir, tenant, storeKey));
        }

        return new Journey(secrets, running, stopped);
    }

    /// <summary>
    /// The device's private keys (raw, and as base64 and hex, the forms a serializer writes) and its Signal session
    /// records (in 32-byte pieces, which SQLite keeps whole within a page), read back through the store's public API.
    /// </summary>
    private static async Task<List<Secret>> KeyMaterialAsync(string sessionsDir, string tenantId, string? storeKey)
    {
        var secrets = new List<Secret>();
        using var store = TenantStore.Open(sessionsDir, tenantId, new TenantStoreOptions { EncryptionKey = storeKey, IdleClose = null });
        Assert.Equal(storeKey is not null, store.Sealed);
        var credentials = await store.Credentials.LoadAsync(CancellationToken.None);
        Assert.NotNull(credentials);
        foreach (var (name, key) in new[]
        {
            ("NoisePrivateKey", credentials.NoisePrivateKey),
            ("IdentityPrivateKey", credentials.IdentityPrivateKey),
            ("SignedPreKeyPrivate", credentials.SignedPreKeyPrivate),
            ("AdvSecretKey", credentials.AdvSecretKey),
        })
        {
            Assert.True(key.Length >= 16, $"{tenantId} {name}");
            secrets.Add(new($"{tenantId} {name} (raw)", key));
            secrets.AddRange(TextForms($"{tenantId} {name} (base64)", Convert.ToBase64String(key)));
            secrets.AddRange(TextForms($"{tenantId} {name} (hex)", Convert.ToHexStringLower(key)));
            secrets.AddRange(TextForms($"{tenantId} {name} (HEX)", Convert.ToHexString(key)));
        }

        var records = await store.Signal.Sessions.LoadSessionsAsync(SessionAddresses(sessionsDir, tenantId), CancellationToken.None);
        Assert.NotEmpty(records);
        foreach (var (address, record) in records)
        {
            var bytes = record.Serialize();
            for (var offset = 0; offset + 32 <= bytes.Length; offset += 32)
            {
                var piece = bytes[offset..(offset + 32)];
                // Only pieces of key-like entropy: a run of small fields could turn up anywhere.
                if (piece.Distinct().Count() >= 20)
                {
                    secrets.Add(new($"{tenantId} Signal session {address} bytes {offset}-{offset + 32}", piece));
                }
            }
        }

        Assert.Contains(secrets, s => s.What.StartsWith($"{tenantId} Signal session ", StringComparison.Ordinal));
        return secrets;
    }

    /// <summary>The addresses the tenant has Signal sessions with: ids, which stay plain in the file.</summary>
    private static List<ProtocolAddress> SessionAddresses(string sessionsDir, string tenantId)
    {
        var path = Path.Combine(sessionsDir, tenantId, "session.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT address FROM sessions";
        using var reader = command.ExecuteReader();
        var addresses = new List<ProtocolAddress>();
        while (reader.Read())
        {
            var address = reader.GetString(0);
            var dot = address.LastIndexOf('.');
            addresses.Add(new ProtocolAddress(address[..dot], uint.Parse(address[(dot + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
        }

        return addresses;
    }

    /// <summary>Every file of the sessions folder as it is on disk now (those the gateway holds open included).</summary>
    private static Dictionary<string, byte[]> Snapshot(string sessionsDir)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(sessionsDir, "*", SearchOption.AllDirectories))
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var bytes = new MemoryStream();
                stream.CopyTo(bytes);
                files[Path.GetRelativePath(sessionsDir, path)] = bytes.ToArray();
            }
            catch (FileNotFoundException)
            {
                // A temporary file renamed away between listing and reading (settings.json.tmp).
            }
            catch (IOException) when (new FileInfo(path).Length == 0)
            {
                // The running store's lock file, held with flock(LOCK_EX), which .NET honours on reads: it is empty.
                files[Path.GetRelativePath(sessionsDir, path)] = [];
            }
        }

        return files;
    }

    /// <summary>A text as UTF-8, and as a JSON string holds it when escaping changes it (System.Text.Json writes '+' as \u002B).</summary>
    private static IEnumerable<Secret> TextForms(string what, string text)
    {
        yield return new(what, Encoding.UTF8.GetBytes(text));
        var escaped = JsonSerializer.Serialize(text)[1..^1];
        if (escaped != text)
        {
            yield return new($"{what} (JSON-escaped)", Encoding.UTF8.GetBytes(escaped));
        }
    }

    private static List<Hit> Find(IReadOnlyDictionary<string, byte[]> files, IEnumerable<Secret> secrets) =>
        [.. from secret in secrets
            from file in files
            where file.Value.AsSpan().IndexOf(secret.Bytes) >= 0
            select new Hit(file.Key, secret.What)];

    private static async Task SendAsync(HttpClient app, object body)
    {
        using var sent = await app.PostAsJsonAsync($"/api/v1/messages/{Sender}/send", body);
        var answer = await sent.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(sent.StatusCode == HttpStatusCode.OK && answer.GetProperty("status").GetString() == "sent", answer.ToString());
    }

    /// <summary>One field of the recipient's message events so far.</summary>
    private static List<string?> Inbound(WebhookReceiver receiver, string field) =>
        [.. receiver.Events("message")
            .Where(e => e.GetProperty("tenantId").GetString() == Recipient)
            .Select(e => e.GetProperty("data").TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null)];

    private static HttpClient Client(DaemonProcess daemon, string key)
    {
        var http = new HttpClient { BaseAddress = daemon.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private sealed record Secret(string What, byte[] Bytes);

    private sealed record Hit(string File, string What)
    {
        public override string ToString() => $"{What} in plain in {File}";
    }

    private sealed record Journey(IReadOnlyList<Secret> Secrets, IReadOnlyDictionary<string, byte[]> Running, IReadOnlyDictionary<string, byte[]> Stopped);
}
