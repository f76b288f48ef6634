using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Qr;
using Gateway.Sessions;

namespace Gateway.Cli;

/// <summary>`gateway qr &lt;tenant&gt;`: starts the session if needed and draws its QR in the terminal until it links.</summary>
internal static class QrCommand
{
    public static Command Create()
    {
        var tenant = new Argument<string>("tenant") { Description = "Tenant to link." };
        var once = new Option<bool>("--once") { Description = "Draw the current QR and exit instead of following new ones." };
        var command = new Command("qr", "Show a tenant's pairing QR in the terminal.") { tenant, once, CommonOptions.EnvFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var tenantId = parse.GetValue(tenant)!;
            if (!CommonOptions.IsValidTenant(tenantId))
            {
                return GatewayCli.UsageError;
            }

            using var daemon = await DaemonClient.ConnectAsync(CliSettings.Load(parse.GetValue(CommonOptions.EnvFile)), cancellationToken);
            if (daemon is null)
            {
                Console.Error.WriteLine("the daemon is not running: a QR needs a live connection (start it first)");
                return GatewayCli.Unreachable;
            }

            using (var start = await daemon.Http.PostAsync(new Uri($"api/v1/sessions/{tenantId}/start", UriKind.Relative), null, cancellationToken))
            {
                start.EnsureSuccessStatusCode();
            }

            string? shown = null;
            while (!cancellationToken.IsCancellationRequested)
            {
                var status = await daemon.Http.GetFromJsonAsync<JsonElement>($"api/v1/sessions/{tenantId}/status", cancellationToken);
                var state = status.GetProperty("status").GetString();
                if (state == "connected")
                {
                    Console.Out.WriteLine($"{tenantId} is connected");
                    return 0;
                }

                using var qr = await daemon.Http.GetAsync(new Uri($"api/v1/sessions/{tenantId}/qr?format=json", UriKind.Relative), cancellationToken);
                if (qr.StatusCode == HttpStatusCode.OK)
                {
                    var text = (await qr.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("qr").GetString()!;
                    if (text != shown)
                    {
                        shown = text;
                        Console.Out.WriteLine(QrRenderer.Terminal(text));
                        Console.Out.WriteLine("Scan with WhatsApp > Linked devices > Link a device.");
                    }
                }
                else if (state is "logged_out" or "replaced" or "failed" or "qr_timeout")
                {
                    Console.Error.WriteLine($"{tenantId} is {state}");
                    return GatewayCli.Failure;
                }

                if (parse.GetValue(once) && shown is not null)
                {
                    return 0;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }

            return GatewayCli.Failure;
        });
        return command;
    }
}
