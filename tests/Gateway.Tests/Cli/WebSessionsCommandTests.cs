using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Emulator;
using Gateway.Tests.Support;

namespace Gateway.Tests.Cli;

/// <summary>
/// The CLI with WhatsApp Web tenants: the QR in the terminal, a backup taken while the daemon runs restored into
/// a fresh folder (the tenant logs in without a QR), logout and keys through the daemon, backup and logout offline.
/// </summary>
public sealed class WebSessionsCommandTests
{
    private const string AdminKey = "cli-web-admin-key-0123456789";

    [Fact]
    public async Task Qr_backup_restore_into_a_fresh_folder_keys_and_logout()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var sessionsDir = Directory.CreateTempSubdirectory("gateway-cli-web-").FullName;
        var environment = Environment(emulator, sessionsDir);
        var archive = Path.Combine(Directory.CreateTempSubdirectory("gateway-backup-").FullName, "live.zip");

        await using (var daemon = await DaemonProcess.StartAsync(environment))
        {
            var qr = await GatewayProcess.RunAsync(daemon.Environment, "qr", "shop-w", "--once", "--env-file", "/nonexistent");
            Assert.True(qr.ExitCode == 0, qr.Stderr);
            Assert.Contains("Linked devices", qr.Stdout, StringComparison.Ordinal);
            Assert.Contains("█", qr.Stdout, StringComparison.Ordinal);

            using var http = Client(daemon);
            var text = (await http.GetFromJsonAsync<JsonElement>("api/v1/sessions/shop-w/qr?format=json")).GetProperty("qr").GetString()!;
            await emulator.Admin.ScanQrAsync(text, "15550000041", CancellationToken.None);
            await Eventually.HoldsAsync(async () => (await http.GetFromJsonAsync<JsonElement>("api/v1/sessions/shop-w/status")).GetProperty("status").GetString() == "connected");

            var key = await GatewayProcess.RunAsync(daemon.Environment, "keys", "create", "shop-w", "--json", "--env-file", "/nonexistent");
            Assert.Equal(0, key.ExitCode);
            using var tenantClient = new HttpClient { BaseAddress = daemon.Url };
            tenantClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonDocument.Parse(key.Stdout).RootElement.GetProperty("key").GetString());
            Assert.True((await tenantClient.GetAsync(new Uri("api/v1/sessions/shop-w/status", UriKind.Relative))).IsSuccessStatusCode);

            Assert.Equal(0, (await GatewayProcess.RunAsync(daemon.Environment, "sessions", "backup", "--out", archive, "--env-file", "/nonexistent")).ExitCode);
        }

        // Restore the live backup into a fresh folder and start a gateway there: linked, no QR.
        var freshDir = Directory.CreateTempSubdirectory("gateway-cli-fresh-").FullName;
        var fresh = Environment(emulator, freshDir);
        var restored = await GatewayProcess.RunAsync(Offline(fresh), "sessions", "restore", archive, "--env-file", "/nonexistent");
        Assert.True(restored.ExitCode == 0, $"restore: {restored.Stdout} {restored.Stderr}");
        await using (var daemon = await DaemonProcess.StartAsync(fresh))
        {
            using var http = Client(daemon);
            await Eventually.HoldsAsync(async () =>
                (await http.GetAsync(new Uri("api/v1/sessions/shop-w/status", UriKind.Relative))) is { IsSuccessStatusCode: true } r
                && (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString() == "connected");

            var device = emulator.Admin.ListDevices().Single(d => d.Jid.StartsWith("15550000041:", StringComparison.Ordinal)).Jid;
            var logout = await GatewayProcess.RunAsync(daemon.Environment, "sessions", "logout", "shop-w", "--env-file", "/nonexistent");
            Assert.True(logout.ExitCode == 0, logout.Stderr);
            Assert.Equal("logged_out", (await http.GetFromJsonAsync<JsonElement>("api/v1/sessions/shop-w/status")).GetProperty("status").GetString());
            await Eventually.HoldsAsync(() => emulator.Admin.GetDevice(device) is null); // unlinked at the server (removed devices are gone), not only forgotten
        }

        // Offline: a backup of the files, and a logout that forgets the credentials of the first folder's tenant.
        var offlineArchive = Path.Combine(Path.GetDirectoryName(archive)!, "offline.zip");
        Assert.Equal(0, (await GatewayProcess.RunAsync(Offline(environment), "sessions", "backup", "--out", offlineArchive, "--env-file", "/nonexistent")).ExitCode);
        Assert.True(new FileInfo(offlineArchive).Length > 0);
        var offlineLogout = await GatewayProcess.RunAsync(Offline(environment), "sessions", "logout", "shop-w", "--env-file", "/nonexistent");
        Assert.Equal(0, offlineLogout.ExitCode);
        Assert.Contains("forgot the credentials", offlineLogout.Stdout, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Environment(EmulatorServer emulator, string sessionsDir) => new()
    {
        ["GATEWAY_API_KEY"] = AdminKey,
        ["GATEWAY_SESSIONS_DIR"] = sessionsDir,
        ["GATEWAY_LOGS_DIR"] = sessionsDir + "-logs",
        ["WHATSAPP_WS_URL"] = emulator.WebSocketUrl.ToString(),
        ["WHATSAPP_ROOT_KEY"] = emulator.RootPublicKeyHex,
        ["SSL_CERT_FILE"] = emulator.CaCertificatePath,
    };

    private static Dictionary<string, string> Offline(Dictionary<string, string> environment) =>
        new(environment) { ["GATEWAY_URLS"] = "http://127.0.0.1:1" };

    private static HttpClient Client(DaemonProcess daemon)
    {
        var http = new HttpClient { BaseAddress = daemon.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return http;
    }
}
