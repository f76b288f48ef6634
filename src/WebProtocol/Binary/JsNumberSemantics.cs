using System.Globalization;

namespace Gateway.WebProtocol.Binary;

/// <summary>
/// The two JavaScript conversions Baileys applies to the agent and device parts of a JID string before writing
/// them as AD_JID bytes (<c>parseInt(agent)</c> and <c>+device</c>, then <c>&amp; 0xff</c>). Reproducing them keeps
/// our bytes identical to Baileys' for every JID-shaped string, including odd ones.
/// </summary>
internal static class JsNumberSemantics
{
    /// <summary><c>parseInt(text) &amp; 0xff</c> with NaN as 0.</summary>
    public static byte ParseIntLowByte(ReadOnlySpan<char> text)
    {
        text = text.TrimStart();
        var negative = false;
        if (text.Length > 0 && (text[0] == '+' || text[0] == '-'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        var radix = 10;
        if (text.Length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        {
            radix = 16;
            text = text[2..];
        }

        double value = 0;
        var digits = 0;
        foreach (var c in text)
        {
            var digit = DigitValue(c);
            if (digit < 0 || digit >= radix)
            {
                break;
            }

            value = (value * radix) + digit;
            digits++;
        }

        if (digits == 0)
        {
            return 0;
        }

        if (radix == 10 && digits > 15)
        {
            // Beyond 2^53 the running product rounds differently from JS's correctly rounded parse.
            value = double.Parse(text[..digits], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return LowByte(negative ? -value : value);
    }

    /// <summary><c>Number(text) &amp; 0xff</c>: whitespace-trimmed decimal, 0x/0o/0b integers, "" is 0, NaN is 0.</summary>
    public static byte NumberLowByte(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return 0;
        }

        if (text.Length > 2 && text[0] == '0')
        {
            var radix = text[1] switch
            {
                'x' or 'X' => 16,
                'o' or 'O' => 8,
                'b' or 'B' => 2,
                _ => 0,
            };
            if (radix != 0)
            {
                double prefixed = 0;
                foreach (var c in text[2..])
                {
                    var digit = DigitValue(c);
                    if (digit < 0 || digit >= radix)
                    {
                        return 0;
                    }

                    prefixed = (prefixed * radix) + digit;
                }

                return LowByte(prefixed);
            }
        }

        // JS accepts "Infinity" but not "∞" or "NaN" spellings; every non-finite value maps to 0 anyway.
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return double.TryParse(text, style, CultureInfo.InvariantCulture, out var value) ? LowByte(value) : (byte)0;
    }

    /// <summary>ToInt32(value) &amp; 0xff.</summary>
    private static byte LowByte(double value)
    {
        if (!double.IsFinite(value))
        {
            return 0;
        }

        var remainder = Math.Truncate(value) % 256.0;
        if (remainder < 0)
        {
            remainder += 256.0;
        }

        return (byte)remainder;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => -1,
    };
}
