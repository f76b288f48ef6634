using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Sessions;

namespace Gateway.Cli;

/// <summary>`gateway webhook test &lt;tenant&gt;`: a signed test delivery to the tenant's webhook, and what came back.</summary>
internal static class WebhookCommand
{
    public static Command Create()
    {
        var tenant = new Argument<string>("tenant") { Description = "Tenant whose webhook to call." };
        var test = new Command("test", "Send a signed test event and report the answer.") { tenant, CommonOptions.Json, CommonOptions.EnvFile };
        test.SetAction(async (parse, cancellationToken) =>
        {
            var tenantId = parse.GetValue(tenant)!;
            if (!CommonOptions.IsValidTenant(tenantId))
            {
                return GatewayCli.UsageError;
            }

            using var daemon = await DaemonClient.ConnectAsync(CliSettings.Load(parse.GetValue(CommonOptions.EnvFile)), cancellationToken);
            if (daemon is null)
            {
                Console.Error.WriteLine("the daemon is not running");
                return GatewayCli.Unreachable;
            }

            using var response = await daemon.Http.PostAsync(new Uri($"api/v1/sessions/{tenantId}/webhook/test", UriKind.Relative), null, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine(body.TryGetProperty("detail", out var detail) ? detail.GetString() : $"HTTP {(int)response.StatusCode}");
                return GatewayCli.Failure;
            }

            var delivered = body.GetProperty("delivered").GetBoolean();
            CommonOptions.Print(parse, body, b => delivered
                ? $"delivered: HTTP {b.GetProperty("statusCode")} in {b.GetProperty("durationMs")} ms"
                : $"not delivered: {b.GetProperty("error")}");
            return delivered ? 0 : GatewayCli.Failure;
        });

        var webhook = new Command("webhook", "Webhook tools.");
        webhook.Subcommands.Add(test);
        return webhook;
    }
}
