using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Backup;
using Gateway.Sessions;
using Gateway.SessionStore;

namespace Gateway.Cli;

/// <summary>
/// `gateway sessions list | clear | logout | backup | restore`. With the daemon running these go through its
/// API; without it they work on the files, and the store lock refuses a tenant another process holds.
/// </summary>
internal static class SessionsCommand
{
    public static Command Create()
    {
        var sessions = new Command("sessions", "List, clear, log out, back up and restore tenant sessions.");
        sessions.Subcommands.Add(List());
        sessions.Subcommands.Add(Clear());
        sessions.Subcommands.Add(Logout());
        sessions.Subcommands.Add(BackupCommand());
        sessions.Subcommands.Add(Restore());
        return sessions;
    }

    private static Command List()
    {
        var command = new Command("list", "List tenants and their status.") { CommonOptions.Json, CommonOptions.EnvFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CliSettings.Load(parse.GetValue(CommonOptions.EnvFile));
            using var daemon = await DaemonClient.ConnectAsync(settings, cancellationToken);
            SessionRow[] rows;
            if (daemon is not null)
            {
                var listed = await daemon.Http.GetFromJsonAsync<JsonElement[]>("api/v1/sessions", cancellationToken) ?? [];
                rows = [.. listed.Select(s => new SessionRow(
                    s.GetProperty("tenantId").GetString()!,
                    s.GetProperty("provider").GetString()!,
                    s.GetProperty("status").GetString()!,
                    s.TryGetProperty("phoneNumber", out var p) && p.ValueKind == JsonValueKind.String ? Logging.Redact.Phone(p.GetString()) : null))];
            }
            else
            {
                rows = [.. OfflineTenants(settings).Select(t => new SessionRow(t, ReadProvider(settings, t), "offline", null))];
            }

            CommonOptions.Print(parse, rows, all => all.Length == 0
                ? "no sessions"
                : string.Join('\n', all.Select(r => $"{r.TenantId,-24} {r.Provider,-6} {r.Status,-13} {r.PhoneNumber}")));
            return 0;
        });
        return command;
    }

    private static Command Clear()
    {
        var tenant = new Argument<string?>("tenant") { Description = "Tenant to clear.", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Clear every tenant." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation." };
        var command = new Command("clear", "Remove a tenant's session (logs it out if the daemon runs); the next start shows a new QR.") { tenant, all, yes, CommonOptions.EnvFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CliSettings.Load(parse.GetValue(CommonOptions.EnvFile));
            using var daemon = await DaemonClient.ConnectAsync(settings, cancellationToken);
            string[] targets;
            if (parse.GetValue(all))
            {
                targets = daemon is not null
                    ? [.. (await daemon.Http.GetFromJsonAsync<JsonElement[]>("api/v1/sessions", cancellationToken) ?? []).Select(s => s.GetProperty("tenantId").GetString()!)]
                    : [.. OfflineTenants(settings)];
            }
            else if (parse.GetValue(tenant) is { } one && TenantId.IsValid(one))
            {
                targets = [one];
            }
            else
            {
                Console.Error.WriteLine($"name a tenant ({TenantId.Rule}) or pass --all");
                return GatewayCli.UsageError;
            }

            if (!parse.GetValue(yes) && !Confirm($"Clear {targets.Length} session(s): {string.Join(", ", targets)}? The phones will need to link again."))
            {
                Console.Error.WriteLine("not confirmed; nothing cleared (pass --yes in scripts)");
                return GatewayCli.UsageError;
            }

            var failures = 0;
            foreach (var target in targets)
            {
                var cleared = daemon is not null
                    ? await ClearThroughDaemonAsync(daemon, target, cancellationToken)
                    : ClearOnFiles(settings, target);
                failures += cleared ? 0 : 1;
            }

            return failures == 0 ? 0 : GatewayCli.Failure;
        });
        return command;
    }

    private static Command Logout()
    {
        var tenant = new Argument<string>("tenant") { Description = "Tenant to log out." };
        var command = new Command("logout", "Unlink the tenant's device and forget its credentials; keep its settings.") { tenant, CommonOptions.EnvFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var tenantId = parse.GetValue(tenant)!;
            if (!CommonOptions.IsValidTenant(tenantId))
            {
                return GatewayCli.UsageError;
            }

            var settings = CliSettings.Load(parse.GetValue(CommonOptions.EnvFile));
            using var daemon = await DaemonClient.ConnectAsync(settings, cancellationToken);
            if (daemon is not null)
            {
                using var response = await daemon.Http.PostAsync(new Uri($"api/v1/sessions/{tenantId}/logout", UriKind.Relative), null, cancellationToken);
                Console.Out.WriteLine(response.IsSuccessStatusCode ? $"logged out {tenantId}" : $"{tenantId}: HTTP {(int)response.StatusCode}");
                return response.IsSuccessStatusCode ? 0 : GatewayCli.Failure;
            }

            try
            {
                using var store = TenantStore.Open(settings.Options.SessionsDir, tenantId, StoreOptions(settings));
                var had = await store.Credentials.DeleteAsync(cancellationToken);
                Console.Out.WriteLine(had
                    ? $"forgot the credentials of {tenantId} (the phone still lists the device until it is removed there)"
                    : $"{tenantId} had no credentials");
                return 0;
            }
            catch (TenantStoreLockedException)
            {
                Console.Error.WriteLine($"{tenantId} is held by a running gateway; run this with the daemon reachable");
                return GatewayCli.Failure;
            }
        });
        return command;
    }

    private static Command BackupCommand()
    {
        var output = new Option<string?>("--out") { Description = "Archive to write (default gateway-sessions-<time>.zip)." };
        var command = new Command("backup", "Write every tenant's session and settings to one zip.") { output, CommonOptions.EnvFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CliSettings.Load(parse.GetValue(CommonOptions.EnvFile));
            var path = parse.GetValue(output) ?? $"gateway-sessions-{DateTime.UtcNow:yyyyMMdd-HHmmss}.zip";
            using var daemon = await DaemonClient.ConnectAsync(settings, cancellationToken);
            if (daemon is not null)
            {
                using var response = await daemon.Http.GetAsync(new Uri("api/v1/admin/backup", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                await using var file = File.Create(path);
                await response.Content.CopyToAsync(file, cancellationToken);
            }
            else
            {
                await using var file = File.Create(path);
                await using var archive = new System.IO.Compression.ZipArchive(file, System.IO.Compression.ZipArchiveMode.Create);
                foreach (var tenantId in OfflineTenants(settings))
                {
                    using var store = TenantStore.Open(settings.Options.SessionsDir, tenantId, StoreOptions(settings));
                    await SessionsArchive.AddTenantAsync(archive, tenantId, store, Path.Combine(settings.Options.SessionsDir, tenantId), cancellationToken);
                }
            }

            Console.Out.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }

    private static Command Restore()
    {
        var file = new Argument<string>("file") { Description = "Archive written by `gateway sessions backup`." };
        var replace = new Option<bool>("--replace") { Description = "Replace tenants that exist." };
        var command = new Command("restore", "Restore tenants from a backup (with the daemon stopped).") { file, replace, CommonOptions.EnvFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CliSettings.Load(parse.GetValue(CommonOptions.EnvFile));
            using (var daemon = await DaemonClient.ConnectAsync(settings, cancellationToken))
            {
                if (daemon is not null)
                {
                    Console.Error.WriteLine("the daemon is running and holds the sessions: stop it (systemctl stop gateway), restore, start it");
                    return GatewayCli.Failure;
                }
            }

            try
            {
                var restored = await SessionsArchive.RestoreAsync(parse.GetValue(file)!, settings.Options.SessionsDir, StoreOptions(settings), parse.GetValue(replace), cancellationToken);
                Console.Out.WriteLine($"restored {restored.Count} tenant(s): {string.Join(", ", restored)}");
                return 0;
            }
            catch (Exception error) when (error is InvalidDataException or TenantStoreException or IOException)
            {
                Console.Error.WriteLine($"restore failed: {error.Message}");
                return GatewayCli.Failure;
            }
        });
        return command;
    }

    private static async Task<bool> ClearThroughDaemonAsync(DaemonClient daemon, string tenantId, CancellationToken cancellationToken)
    {
        using var response = await daemon.Http.DeleteAsync(new Uri($"api/v1/sessions/{tenantId}", UriKind.Relative), cancellationToken);
        Console.Out.WriteLine(response.IsSuccessStatusCode ? $"cleared {tenantId}"
            : response.StatusCode == HttpStatusCode.NotFound ? $"no session {tenantId}" : $"{tenantId}: HTTP {(int)response.StatusCode}");
        return response.IsSuccessStatusCode;
    }

    private static bool ClearOnFiles(CliSettings settings, string tenantId)
    {
        var directory = Path.Combine(settings.Options.SessionsDir, tenantId);
        if (!Directory.Exists(directory))
        {
            Console.Out.WriteLine($"no session {tenantId}");
            return false;
        }

        try
        {
            // Taking the store proves no other process holds it; release it before deleting the folder.
            TenantStore.Open(settings.Options.SessionsDir, tenantId, StoreOptions(settings)).Dispose();
        }
        catch (TenantStoreLockedException)
        {
            Console.Error.WriteLine($"{tenantId} is held by a running gateway; nothing cleared");
            return false;
        }
        catch (TenantStoreException)
        {
            // A damaged or foreign-key store is exactly what clear is for.
        }

        Directory.Delete(directory, recursive: true);
        Console.Out.WriteLine($"cleared {tenantId}");
        return true;
    }

    private static IEnumerable<string> OfflineTenants(CliSettings settings) =>
        Directory.Exists(settings.Options.SessionsDir)
            ? Directory.EnumerateDirectories(settings.Options.SessionsDir).Select(Path.GetFileName).Where(TenantId.IsValid).Cast<string>().Order(StringComparer.Ordinal)
            : [];

    private static string ReadProvider(CliSettings settings, string tenantId)
    {
        try
        {
            return new TenantSettingsFile(settings.StoreKey).Read(Path.Combine(settings.Options.SessionsDir, tenantId))?.Provider ?? "web";
        }
        catch (InvalidDataException)
        {
            return "?";
        }
    }

    private static TenantStoreOptions StoreOptions(CliSettings settings) => new() { EncryptionKey = settings.StoreKey };

    private static bool Confirm(string question)
    {
        if (Console.IsInputRedirected)
        {
            return false;
        }

        Console.Out.Write(question + " [y/N] ");
        return Console.ReadLine()?.Trim().ToLowerInvariant() is "y" or "yes";
    }

    internal sealed record SessionRow(string TenantId, string Provider, string Status, string? PhoneNumber);
}
