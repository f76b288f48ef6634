using System.CommandLine;
using System.Net.Http.Json;
using Gateway.Security;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Cli;

/// <summary>`gateway keys create|list|revoke`: tenant-scoped API keys, through the daemon when it runs.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var keys = new Command("keys", "Manage tenant-scoped API keys.");

        var tenant = new Argument<string>("tenant") { Description = "Tenant id the key is for." };
        var create = new Command("create", "Create a key for one tenant; the key is printed once.") { tenant, CommonOptions.Json, CommonOptions.EnvFile };
        create.SetAction(async (parse, cancellationToken) =>
        {
            var tenantId = parse.GetValue(tenant)!;
            if (!CommonOptions.IsValidTenant(tenantId))
            {
                return GatewayCli.UsageError;
            }

            var settings = CliSettings.Load(parse.GetValue(CommonOptions.EnvFile));
            using var daemon = await DaemonClient.ConnectAsync(settings, cancellationToken);
            KeyView created;
            if (daemon is not null)
            {
                using var response = await daemon.Http.PostAsJsonAsync("api/v1/keys", new { tenantId }, cancellationToken);
                response.EnsureSuccessStatusCode();
                created = (await response.Content.ReadFromJsonAsync<KeyView>(cancellationToken))!;
            }
            else
            {
                var (record, secret) = Store(settings).Create(tenantId);
                created = new KeyView(record.Id, record.TenantId, secret, record.CreatedAt);
            }

            CommonOptions.Print(parse, created, k => $"key {k.Id} for tenant {k.TenantId}:\n{k.Key}\n(store it now: it is not shown again)");
            return 0;
        });

        var list = new Command("list", "List keys (never their secrets).") { CommonOptions.Json, CommonOptions.EnvFile };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CliSettings.Load(parse.GetValue(CommonOptions.EnvFile));
            using var daemon = await DaemonClient.ConnectAsync(settings, cancellationToken);
            var items = daemon is not null
                ? (await daemon.Http.GetFromJsonAsync<KeyView[]>("api/v1/keys", cancellationToken))!
                : [.. Store(settings).List().Select(r => new KeyView(r.Id, r.TenantId, null, r.CreatedAt))];
            CommonOptions.Print(parse, items, all => all.Length == 0 ? "no keys" : string.Join('\n', all.Select(k => $"{k.Id}  {k.TenantId}  {k.CreatedAt:u}")));
            return 0;
        });

        var id = new Argument<string>("id") { Description = "Key id, as listed." };
        var revoke = new Command("revoke", "Revoke a key.") { id, CommonOptions.EnvFile };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            var keyId = parse.GetValue(id)!;
            var settings = CliSettings.Load(parse.GetValue(CommonOptions.EnvFile));
            using var daemon = await DaemonClient.ConnectAsync(settings, cancellationToken);
            var revoked = daemon is not null
                ? (await daemon.Http.DeleteAsync(new Uri($"api/v1/keys/{Uri.EscapeDataString(keyId)}", UriKind.Relative), cancellationToken)).IsSuccessStatusCode
                : Store(settings).Revoke(keyId);
            Console.Out.WriteLine(revoked ? $"revoked {keyId}" : $"no key {keyId}");
            return revoked ? 0 : GatewayCli.Failure;
        });

        keys.Subcommands.Add(create);
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(revoke);
        return keys;
    }

    private static TenantKeyStore Store(CliSettings settings) => new(Options.Create(settings.Options), TimeProvider.System);

    internal sealed record KeyView(string Id, string TenantId, string? Key, DateTimeOffset CreatedAt);
}
