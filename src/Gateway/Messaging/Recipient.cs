using System.Diagnostics.CodeAnalysis;

namespace Gateway.Messaging;

/// <summary>
/// Who a message goes to, as the API accepts it: an international phone number ("+1 555 123 4567",
/// "15551234567") or a WhatsApp JID ("15551234567@s.whatsapp.net", "…@lid", "…@g.us"). Normalised to digits for
/// phone numbers; JIDs keep their server.
/// </summary>
public sealed record Recipient(string User, string Server)
{
    public const string PhoneServer = "s.whatsapp.net";
    public const string Rule = "an international phone number of 7 to 15 digits (e.g. +15551234567) or a WhatsApp JID";

    private static readonly string[] AcceptedServers = [PhoneServer, "c.us", "lid", "g.us"];

    public bool IsPhoneNumber => Server == PhoneServer;

    public string Jid => $"{User}@{Server}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out Recipient? recipient)
    {
        recipient = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var user = text[..at];
            var server = text[(at + 1)..];
            if (!AcceptedServers.Contains(server) || !IsDigits(user, 5, 24, allowDash: server == "g.us"))
            {
                return false;
            }

            recipient = new Recipient(user, server == "c.us" ? PhoneServer : server);
            return true;
        }

        Span<char> digits = stackalloc char[text.Length];
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
            }
            else if (!(c is ' ' or '-' or '(' or ')' or '.' || (c == '+' && i == 0)))
            {
                return false;
            }
        }

        if (count is < 7 or > 15 || digits[0] == '0')
        {
            return false;
        }

        recipient = new Recipient(new string(digits[..count]), PhoneServer);
        return true;
    }

    private static bool IsDigits(string value, int min, int max, bool allowDash)
    {
        if (value.Length < min || value.Length > max)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c) && !(allowDash && c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
