using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Emulator;
using Gateway.Emulator.Accounts;
using Gateway.Emulator.Admin;
using Gateway.SessionStore;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static Gateway.SessionStore.Tests.LiteDbFixtures;

namespace Gateway.Tests.Web;

/// <summary>
/// The upgrade as a user lives it: tenant folders written by the LiteDB version (SessionStore.Tests' Fixtures/LiteDb,
/// one plain, one sealed with a store key) are put under the new gateway, which converts them at open. Their devices
/// log in again without a QR, their message records and delivery log read through the API as they were, their pending
/// webhook events go out, and the two tenants message each other on the Signal sessions they had. A gateway has one
/// store key for all its tenants, so each tenant runs in a gateway of its own (both at once, on one emulator).
/// The fixtures' instants are fixed: the gateways run without retention (which would prune a delivery log older than
/// a week) and on a clock past the last retry time the old outboxes hold (an old event not yet due holds back every
/// event after it, the new ones included), so the journey does not depend on the machine's date.
/// </summary>
public sealed class LiteDbUpgradeTests
{
    private static readonly string[] FixtureTenants = [Plain, Keyed];

    [Fact]
    public async Task Tenants_written_by_the_LiteDB_version_log_in_without_a_qr_keep_their_records_and_talk_on_their_old_sessions()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        foreach (var tenantId in FixtureTenants)
        {
            emulator.Admin.AdoptDevice(Facts(tenantId));
        }

        // What each tenant's session with the other was before the upgrade, read from a converted copy of its own.
        var before = new Dictionary<string, int>();
        foreach (var tenantId in FixtureTenants)
        {
            var scratch = Directory.CreateTempSubdirectory("gateway-litedb-before-").FullName;
            CopyTenant(tenantId, scratch);
            before[tenantId] = await PreviousSessionsWithPeerAsync(scratch, tenantId);
            Directory.Delete(scratch, recursive: true);
        }

        var clock = new ShiftedClock();
        var lastRetry = FixtureTenants.SelectMany(t => Items(Tenant(t), "outbox")).Max(e => Instant(e.GetProperty("nextAttemptAt")));
        if (lastRetry + TimeSpan.FromSeconds(1) - clock.GetUtcNow() is { Ticks: > 0 } lag)
        {
            clock.Advance(lag);
        }

        var folders = FixtureTenants.ToDictionary(t => t, t => Directory.CreateTempSubdirectory("gateway-litedb-").FullName);
        var gateways = FixtureTenants.ToDictionary(t => t, t =>
        {
            CopyTenant(t, folders[t]);
            return NewGateway(emulator, receiver, clock, folders[t], StoreKey(t));
        });
        var apis = FixtureTenants.ToDictionary(t => t, t => gateways[t].CreateClient(GatewayFactory.AdminKey));
        try
        {
            foreach (var tenantId in FixtureTenants)
            {
                await StartsConnectedWithoutQrAsync(apis[tenantId], tenantId);
            }

            // No device was paired here: the two logged in with the keys they had, so neither ever showed a QR
            // (the only session.qr events are the old outbox's own, going out now).
            Assert.Equal(2, emulator.Admin.ListDevices().Count);
            Assert.All(FixtureTenants, t => Assert.True(File.Exists(Path.Combine(folders[t], t, "session.litedb.bak"))));
            foreach (var tenantId in FixtureTenants)
            {
                await RecordsReadAsBeforeAsync(apis[tenantId], tenantId);
                await OldPendingEventsGoOutAsync(receiver, tenantId);
            }

            Assert.All(receiver.Events("session.qr"), e => Assert.Contains(e.GetProperty("id").GetString(), OldEventIds()));

            // Each sends to the other's phone number; the other's app gets the text through its webhook. Neither
            // fetches the other's keys for it: the one-time prekeys each uploaded at its login stay untouched.
            await Eventually.HoldsAsync(() => FixtureTenants.All(t => PreKeysOnServer(emulator, t) > 0));
            var preKeys = FixtureTenants.ToDictionary(t => t, t => PreKeysOnServer(emulator, t));
            foreach (var (from, to) in new[] { (Plain, Keyed), (Keyed, Plain) })
            {
                var text = $"after the upgrade, from {from}";
                var messageId = await SendTextAsync(apis[from], from, "+" + Phone(to), text);
                await Eventually.HoldsAsync(() => receiver.Events("message").Any(e =>
                    e.GetProperty("tenantId").GetString() == to
                    && e.GetProperty("data").GetProperty("messageId").GetString() == messageId
                    && e.GetProperty("data").GetProperty("text").GetString() == text));
                await Eventually.HoldsAsync(async () =>
                    (await apis[from].GetFromJsonAsync<JsonElement>($"/api/v1/messages/{from}/{messageId}")).GetProperty("status").GetString() is "delivered" or "read");
            }

            Assert.Equal(preKeys, FixtureTenants.ToDictionary(t => t, t => PreKeysOnServer(emulator, t)));
        }
        finally
        {
            foreach (var tenantId in FixtureTenants)
            {
                apis[tenantId].Dispose();
                await gateways[tenantId].DisposeAsync();
            }
        }

        // The messages went both ways on the sessions of the LiteDB version: a new session (a prekey message either
        // way) would have moved the old one to the previous states.
        foreach (var tenantId in FixtureTenants)
        {
            Assert.Equal(before[tenantId], await PreviousSessionsWithPeerAsync(folders[tenantId], tenantId));
            Directory.Delete(folders[tenantId], recursive: true);
        }
    }

    /// <summary>POST /start logs the tenant in from its converted credentials: connected, no QR.</summary>
    private static async Task StartsConnectedWithoutQrAsync(HttpClient api, string tenantId)
    {
        using var started = await api.PostAsync(new Uri($"/api/v1/sessions/{tenantId}/start", UriKind.Relative), null);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(started.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("qrCode").ValueKind);
        await Eventually.HoldsAsync(async () => await Tenants.StatusAsync(api, tenantId) == "connected");

        var status = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{tenantId}/status");
        Assert.True(status.GetProperty("connected").GetBoolean());
        Assert.Equal(Phone(tenantId), status.GetProperty("phoneNumber").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("qrCode").ValueKind);
    }

    /// <summary>Every old message record by its id, and every old delivery-log line, as the LiteDB version wrote them.</summary>
    private static async Task RecordsReadAsBeforeAsync(HttpClient api, string tenantId)
    {
        var tenant = Tenant(tenantId);
        foreach (var message in Items(tenant, "messages"))
        {
            var id = message.GetProperty("id").GetString()!;
            var record = await api.GetFromJsonAsync<JsonElement>($"/api/v1/messages/{tenantId}/{id}");
            Assert.Equal(id, record.GetProperty("messageId").GetString());
            Assert.Equal(message.GetProperty("status").GetString()!.ToLowerInvariant(), record.GetProperty("status").GetString());
            Assert.Equal(message.GetProperty("direction").GetString()!.ToLowerInvariant(), record.GetProperty("direction").GetString());
            Assert.Equal(message.GetProperty("chat").GetString(), record.GetProperty("chat").GetString());
            Assert.Equal(Instant(message.GetProperty("createdAt")), record.GetProperty("createdAt").GetDateTimeOffset());
            Assert.Equal(Instant(message.GetProperty("updatedAt")), record.GetProperty("updatedAt").GetDateTimeOffset());
        }

        // Newest first; the lines the new gateway appended since (due events going out) come before the old ones.
        var listed = (await api.GetFromJsonAsync<JsonElement[]>($"/api/v1/sessions/{tenantId}/webhook/deliveries?limit=1000"))!.Select(Line).ToList();
        var old = Items(tenant, "deliveryLog").OrderByDescending(e => e.GetProperty("id").GetInt64()).Select(e => new LogLine(
            e.GetProperty("sequence").GetInt64(),
            e.GetProperty("eventId").GetString()!,
            Instant(e.GetProperty("at")),
            JsonNamingPolicy.SnakeCaseLower.ConvertName(e.GetProperty("outcome").GetString()!),
            OptionalInt(e.GetProperty("statusCode")),
            e.GetProperty("error").GetString())).ToList();
        Assert.Equal(tenant.GetProperty("counts").GetProperty("deliveryLog").GetInt32(), old.Count);
        Assert.Equal(old, listed.TakeLast(old.Count));
    }

    /// <summary>The old outbox's pending events go to the webhook under their old ids, their payloads byte for byte as written.</summary>
    private static async Task OldPendingEventsGoOutAsync(WebhookReceiver receiver, string tenantId)
    {
        var pending = Items(Tenant(tenantId), "outbox")
            .Where(e => e.GetProperty("state").GetString() == "Pending")
            .Select(e => (Id: e.GetProperty("eventId").GetString(), Sha256: e.GetProperty("payloadSha256").GetString()))
            .ToList();
        Assert.NotEmpty(pending);
        await Eventually.HoldsAsync(() => pending.All(old => receiver.Deliveries.Any(d =>
            d.Header("webhook-id") == old.Id && Convert.ToHexStringLower(SHA256.HashData(d.Body)) == old.Sha256)));
    }

    private static async Task<string> SendTextAsync(HttpClient api, string tenantId, string to, string text)
    {
        using var sent = await api.PostAsJsonAsync($"/api/v1/messages/{tenantId}/send", new { to, type = "text", message = text });
        var answer = await sent.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(sent.StatusCode == HttpStatusCode.OK && answer.GetProperty("status").GetString() == "sent", answer.ToString());
        return answer.GetProperty("messageId").GetString()!;
    }

    /// <summary>How many earlier sessions the tenant's open Signal session with the other fixture tenant's device keeps.</summary>
    private static async Task<int> PreviousSessionsWithPeerAsync(string sessionsDir, string tenantId)
    {
        var peer = Tenant(tenantId == Plain ? Keyed : Plain).GetProperty("device");
        using var store = TenantStore.Open(sessionsDir, tenantId, new TenantStoreOptions { EncryptionKey = StoreKey(tenantId), IdleClose = null });
        var session = await store.Signal.Sessions.LoadSessionAsync(DeviceAddress(peer.GetProperty("lidJid").GetString()!), CancellationToken.None);
        Assert.NotNull(session);
        Assert.True(session.HasOpenSession);
        Assert.Equal(Bytes(peer.GetProperty("identityPublicKey")), session.RemoteIdentityKey);
        return session.PreviousSessionCount;
    }

    /// <summary>What the server knew of the tenant's device (the manifest's public facts).</summary>
    private static AdoptedDevice Facts(string tenantId)
    {
        var device = Tenant(tenantId).GetProperty("device");
        var signed = device.GetProperty("signedPreKey");
        return new AdoptedDevice(
            device.GetProperty("pnJid").GetString()!,
            device.GetProperty("lidJid").GetString()!,
            Bytes(device.GetProperty("noisePublicKey")),
            Bytes(device.GetProperty("identityPublicKey")),
            device.GetProperty("registrationId").GetUInt32(),
            new SignedPreKey(signed.GetProperty("id").GetUInt32(), Bytes(signed.GetProperty("publicKey")), Bytes(signed.GetProperty("signature"))),
            device.GetProperty("keyIndex").GetUInt32());
    }

    private static int PreKeysOnServer(EmulatorServer emulator, string tenantId) =>
        emulator.Admin.GetDevice(Tenant(tenantId).GetProperty("device").GetProperty("pnJid").GetString()!)!.PreKeysOnServer;

    private static string Phone(string tenantId) =>
        Manifest.GetProperty("phones").EnumerateObject().Single(p => p.Value.GetProperty("tenant").GetString() == tenantId).Name;

    private static HashSet<string?> OldEventIds() =>
        [.. FixtureTenants.SelectMany(t => Items(Tenant(t), "outbox")).Select(e => e.GetProperty("eventId").GetString())];

    private static LogLine Line(JsonElement e) => new(
        e.GetProperty("sequence").GetInt64(),
        e.GetProperty("eventId").GetString()!,
        e.GetProperty("at").GetDateTimeOffset(),
        e.GetProperty("outcome").GetString()!,
        e.GetProperty("statusCode").ValueKind == JsonValueKind.Null ? null : e.GetProperty("statusCode").GetInt32(),
        e.GetProperty("error").GetString());

    private static GatewayFactory NewGateway(EmulatorServer emulator, WebhookReceiver receiver, TimeProvider clock, string sessionsDir, string? storeKey)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WHATSAPP_WS_URL"] = emulator.WebSocketUrl.ToString(),
            ["WHATSAPP_ROOT_KEY"] = emulator.RootPublicKeyHex,
            ["GATEWAY_WEBHOOK_URL"] = receiver.Url.ToString(),
            ["GATEWAY_WEBHOOK_SECRET"] = "whsec_" + Convert.ToBase64String(new byte[32]),
            ["Gateway:Sessions:SendInterval"] = "00:00:00",
            ["Gateway:Retention:Interval"] = "00:00:00",
        };
        if (storeKey is not null)
        {
            settings["GATEWAY_STORE_KEY"] = storeKey;
        }

        return new GatewayFactory(settings, sessionsDir, s => s.Replace(ServiceDescriptor.Singleton(clock)));
    }

    private sealed record LogLine(long Sequence, string EventId, DateTimeOffset At, string Outcome, int? StatusCode, string? Error);
}
