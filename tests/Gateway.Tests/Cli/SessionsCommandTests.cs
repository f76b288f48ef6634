using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Tests.Cloud;
using Gateway.Tests.Support;

namespace Gateway.Tests.Cli;

/// <summary>The operator's CLI against a real daemon process and then against its files, as on a droplet.</summary>
public sealed class SessionsCommandTests : IAsyncLifetime
{
    private const string AdminKey = "cli-admin-key-0123456789";
    private readonly string sessionsDir = Directory.CreateTempSubdirectory("gateway-cli-").FullName;
    private FakeGraphServer graph = null!;
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        graph = await FakeGraphServer.StartAsync();
        receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await graph.DisposeAsync();
    }

    [Fact]
    public async Task List_backup_webhook_test_clear_and_restore_through_a_redeploy()
    {
        var environment = new Dictionary<string, string>
        {
            ["GATEWAY_API_KEY"] = AdminKey,
            ["GATEWAY_SESSIONS_DIR"] = sessionsDir,
            ["GATEWAY_LOGS_DIR"] = Path.Combine(sessionsDir, "..", Path.GetFileName(sessionsDir) + "-logs"),
            ["GATEWAY_CLOUD_API_URL"] = graph.BaseUrl.ToString(),
            ["GATEWAY_WEBHOOK_URL"] = receiver.Url.ToString(),
            ["GATEWAY_WEBHOOK_SECRET"] = "whsec_" + Convert.ToBase64String(new byte[32]),
        };
        var archive = Path.Combine(Directory.CreateTempSubdirectory("gateway-backup-").FullName, "backup.zip");

        await using (var daemon = await DaemonProcess.StartAsync(environment))
        {
            using var http = new HttpClient { BaseAddress = daemon.Url };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            foreach (var tenant in new[] { "shop-1", "shop-2" })
            {
                using var started = await http.PostAsJsonAsync($"api/v1/sessions/{tenant}/start", new
                {
                    provider = "cloud",
                    cloud = new { phoneNumberId = tenant == "shop-1" ? "1001" : "1002", accessToken = "EAAG-x", appSecret = "s", verifyToken = "v" },
                });
                Assert.Equal(HttpStatusCode.OK, started.StatusCode);
            }

            var listed = await Cli(daemon.Environment, "sessions", "list", "--json");
            Assert.Equal(0, listed.ExitCode);
            var rows = JsonDocument.Parse(listed.Stdout).RootElement.EnumerateArray().ToArray();
            Assert.Equal(["shop-1", "shop-2"], rows.Select(r => r.GetProperty("tenantId").GetString()));
            Assert.All(rows, r => Assert.Equal("connected", r.GetProperty("status").GetString()));
            Assert.All(rows, r => Assert.Equal("1555*****11", r.GetProperty("phoneNumber").GetString()));

            var tested = await Cli(daemon.Environment, "webhook", "test", "shop-1");
            Assert.True(tested.ExitCode == 0, tested.Stdout + tested.Stderr);
            Assert.Contains(receiver.Accepted, e => e.GetProperty("event").GetString() == "webhook.test");

            Assert.Equal(0, (await Cli(daemon.Environment, "sessions", "backup", "--out", archive)).ExitCode);
            using (var zip = ZipFile.OpenRead(archive))
            {
                Assert.Contains(zip.Entries, e => e.FullName == "shop-1/session.db");
                Assert.Contains(zip.Entries, e => e.FullName == "shop-2/settings.json");
            }

            var unconfirmed = await Cli(daemon.Environment, "sessions", "clear", "shop-2");
            Assert.Equal(2, unconfirmed.ExitCode);
            Assert.True(Directory.Exists(Path.Combine(sessionsDir, "shop-2")));
            Assert.Equal(0, (await Cli(daemon.Environment, "sessions", "clear", "shop-2", "--yes")).ExitCode);
            Assert.False(Directory.Exists(Path.Combine(sessionsDir, "shop-2")));

            Assert.Equal(0, await daemon.StopAsync());
        }

        var offline = new Dictionary<string, string>(environment) { ["GATEWAY_URLS"] = "http://127.0.0.1:1" };
        Assert.Equal(1, (await Cli(offline, "sessions", "restore", archive)).ExitCode); // shop-1 exists
        var restored = await Cli(offline, "sessions", "restore", archive, "--replace");
        Assert.True(restored.ExitCode == 0, restored.Stderr);
        var offlineList = await Cli(offline, "sessions", "list", "--json");
        Assert.Equal(["shop-1", "shop-2"], JsonDocument.Parse(offlineList.Stdout).RootElement.EnumerateArray().Select(r => r.GetProperty("tenantId").GetString()));

        // The redeploy: a new process on the same folder brings both tenants back without a start call.
        await using (var daemon = await DaemonProcess.StartAsync(environment))
        {
            using var http = new HttpClient { BaseAddress = daemon.Url };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            await Eventually.HoldsAsync(async () =>
            {
                var all = await http.GetFromJsonAsync<JsonElement[]>("api/v1/sessions");
                return all!.Length == 2 && all.All(s => s.GetProperty("status").GetString() == "connected");
            });
            using var sent = await http.PostAsJsonAsync("api/v1/messages/shop-2/send", new { to = "15551234567", message = "back" });
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

            var held = await Cli(new Dictionary<string, string>(offline), "sessions", "clear", "shop-1", "--yes");
            Assert.Equal(1, held.ExitCode);
            Assert.Contains("held by a running gateway", held.Stderr, StringComparison.Ordinal);
        }
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> Cli(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        GatewayProcess.RunAsync(environment, [.. args, "--env-file", "/nonexistent"]);
}
