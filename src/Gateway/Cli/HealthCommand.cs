using System.CommandLine;

namespace Gateway.Cli;

/// <summary>`gateway health`: exits 0 when the daemon answers /health; the container's HEALTHCHECK.</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "Daemon base URL (default from GATEWAY_URLS)." };
        var command = new Command("health", "Check that the daemon answers.") { url, CommonOptions.EnvFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = parse.GetValue(url);
            if (given is not null && !Uri.TryCreate(given, UriKind.Absolute, out _))
            {
                Console.Error.WriteLine($"not an absolute URL: {given}");
                return GatewayCli.UsageError;
            }

            var baseUrl = given is not null ? new Uri(given.TrimEnd('/') + "/") : CliSettings.Load(parse.GetValue(CommonOptions.EnvFile)).DaemonUrl;
            using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative), cancellationToken);
                Console.Out.WriteLine(response.IsSuccessStatusCode ? "ok" : $"unhealthy: HTTP {(int)response.StatusCode}");
                return response.IsSuccessStatusCode ? 0 : GatewayCli.Failure;
            }
            catch (HttpRequestException error)
            {
                Console.Error.WriteLine($"daemon not reachable at {baseUrl}: {error.HttpRequestError}");
                return GatewayCli.Unreachable;
            }
            catch (TaskCanceledException)
            {
                Console.Error.WriteLine($"daemon at {baseUrl} did not answer in time");
                return GatewayCli.Unreachable;
            }
        });
        return command;
    }
}
