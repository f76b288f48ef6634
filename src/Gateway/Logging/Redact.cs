namespace Gateway.Logging;

/// <summary>Masks identifiers before they reach a log: enough to correlate, not enough to identify.</summary>
public static class Redact
{
    /// <summary>"15551234567" -> "1555*****67"; JIDs keep their server part.</summary>
    public static string Phone(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        var user = at < 0 ? value : value[..at];
        var server = at < 0 ? "" : value[at..];
        if (user.Length <= 6)
        {
            return new string('*', user.Length) + server;
        }

        return string.Concat(user.AsSpan(0, 4), new string('*', user.Length - 6), user.AsSpan(user.Length - 2), server);
    }

    /// <summary>Secrets are never logged, not even in part; this says only whether one was set.</summary>
    public static string Secret(string? value) => string.IsNullOrEmpty(value) ? "(unset)" : "(set)";
}
