using System.CommandLine;
using Gateway.Hosting;

namespace Gateway.Cli;

/// <summary>
/// The `gateway` executable: `serve` (the default) runs the daemon; the other commands are for operators.
/// Exit codes: 0 success, 1 failure, 2 usage error, 3 the daemon is not reachable.
/// </summary>
internal static class GatewayCli
{
    public const int Failure = 1;
    public const int UsageError = 2;
    public const int Unreachable = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        // The daemon takes host arguments (--urls, --environment, ...) that are not CLI syntax.
        if (args.Length == 0 || args[0].StartsWith('-') && args[0] is not ("-h" or "--help" or "-?" or "--version"))
        {
            return await GatewayHost.ServeAsync(args);
        }

        var root = new RootCommand("Gateway: WhatsApp sessions behind a REST API and signed webhooks.");
        var serve = new Command("serve", "Run the daemon (the default).");
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction((parse, _) => GatewayHost.ServeAsync([.. parse.UnmatchedTokens]));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(HealthCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(SessionsCommand.Create());
        root.Subcommands.Add(QrCommand.Create());
        root.Subcommands.Add(WebhookCommand.Create());
        // The host handles SIGTERM itself and shuts sessions down cleanly; System.CommandLine's own handler
        // would end the process early with 143.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
