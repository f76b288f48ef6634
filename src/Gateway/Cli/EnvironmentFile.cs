namespace Gateway.Cli;

/// <summary>Reads a systemd EnvironmentFile: KEY=value lines, # comments, optional quotes.</summary>
internal static class EnvironmentFile
{
    public static IEnumerable<(string Key, string Value)> Read(string path)
    {
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            yield return (line[..equals].Trim(), value);
        }
    }
}
