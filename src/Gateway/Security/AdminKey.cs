using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>
/// The admin key: GATEWAY_API_KEY when set; otherwise a key generated at first start and kept in
/// <c>admin.key</c> in the sessions folder (owner-only), so `dotnet run` works with no configuration and the
/// key survives restarts.
/// </summary>
public sealed class AdminKey
{
    public const string FileName = "admin.key";

    public AdminKey(IOptions<GatewayOptions> options, ILogger<AdminKey> logger)
    {
        var configured = options.Value.ApiKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Hash = ApiKeyHash.Of(configured.Trim());
            return;
        }

        var path = Path.Combine(options.Value.SessionsDir, FileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(options.Value.SessionsDir);
            var created = ApiKeyHash.NewKey("gwa_");
            var createOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                createOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(path, createOptions))
            {
                writer.Write(created);
            }

            logger.LogWarning("GATEWAY_API_KEY is not set: generated an admin key and stored it in {AdminKeyFile}", path);
        }

        Hash = ApiKeyHash.Of(File.ReadAllText(path).Trim());
    }

    internal byte[] Hash { get; }
}
