using System.Collections.Frozen;

namespace Gateway.WebProtocol.Binary;

/// <summary>
/// Lookup in both directions over the version 3 token tables. A string in several places resolves like Baileys'
/// TOKEN_MAP, where later entries (double-byte after single-byte) overwrite earlier ones.
/// </summary>
public static class TokenDictionary
{
    /// <summary>Number of single-byte tokens (236); bytes 1..235 are tokens on the wire.</summary>
    public const int SingleByteCount = 236;

    public const int DictionaryCount = 4;

    public const int DoubleByteCount = 256;

    // Value: index for single-byte tokens; ((dictionary + 1) << 8) | index for double-byte ones.
    private static readonly FrozenDictionary<string, int> ByString = BuildLookup();
    private static readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> BySpan =
        ByString.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The single-byte token at <paramref name="index"/>; index 0 is the empty string.</summary>
    public static string GetSingleByte(int index) => TokenTables.SingleByte[index];

    /// <summary>The double-byte token <paramref name="index"/> of dictionary <paramref name="dictionary"/> (0..3).</summary>
    public static string GetDoubleByte(int dictionary, int index) => TokenTables.DoubleByte[dictionary][index];

    /// <summary>
    /// Finds <paramref name="value"/> in the tables. <paramref name="dictionary"/> is -1 for a single-byte token,
    /// else 0..3.
    /// </summary>
    public static bool TryGetToken(ReadOnlySpan<char> value, out int dictionary, out int index)
    {
        if (value.Length != 0 && BySpan.TryGetValue(value, out var packed))
        {
            dictionary = (packed >> 8) - 1;
            index = packed & 0xFF;
            return true;
        }

        dictionary = -1;
        index = 0;
        return false;
    }

    private static FrozenDictionary<string, int> BuildLookup()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var single = TokenTables.SingleByte;
        for (var i = 1; i < single.Length; i++)
        {
            map[single[i]] = i;
        }

        var dictionaries = TokenTables.DoubleByte;
        for (var d = 0; d < dictionaries.Length; d++)
        {
            for (var i = 0; i < dictionaries[d].Length; i++)
            {
                map[dictionaries[d][i]] = ((d + 1) << 8) | i;
            }
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
