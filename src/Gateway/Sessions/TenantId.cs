using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Gateway.Sessions;

/// <summary>
/// A tenant id names a folder under the sessions directory, so it is held to a small alphabet: letters,
/// digits, '-' and '_', starting with a letter or digit, at most 64 characters. "..", "/" and the like never pass.
/// </summary>
public static partial class TenantId
{
    public const string Rule = "1-64 characters of A-Z, a-z, 0-9, '-' and '_', starting with a letter or digit";

    public static bool IsValid([NotNullWhen(true)] string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
