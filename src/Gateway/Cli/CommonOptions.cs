using System.CommandLine;
using System.Text.Json;

namespace Gateway.Cli;

/// <summary>Options every operator command shares, and how results are printed.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Json = new("--json") { Description = "Print machine-readable JSON." };

    public static readonly Option<string?> EnvFile = new("--env-file") { Description = $"Environment file to read (default {CliSettings.InstalledEnvironmentFile} when present)." };

    private static readonly JsonSerializerOptions Pretty = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Checks a tenant id argument; says what a tenant id is when it is not one.</summary>
    public static bool IsValidTenant(string? tenantId)
    {
        if (Sessions.TenantId.IsValid(tenantId))
        {
            return true;
        }

        Console.Error.WriteLine($"invalid tenant id: a tenant id is {Sessions.TenantId.Rule}");
        return false;
    }

    public static void Print<T>(ParseResult parse, T value, Func<T, string> human)
    {
        Console.Out.WriteLine(parse.GetValue(Json) ? JsonSerializer.Serialize(value, Pretty) : human(value));
    }
}
