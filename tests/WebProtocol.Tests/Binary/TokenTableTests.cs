using System.Text.Json;
using Gateway.Interop;
using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Tests.Binary;

public sealed class TokenTableTests
{
    [Fact]
    public async Task Tables_equal_baileys_constants_entry_by_entry()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        using var json = JsonDocument.Parse(await NodeHarness.RunAsync("binary/tokens.mjs", "", timeout.Token));
        var single = json.RootElement.GetProperty("single").EnumerateArray().Select(e => e.GetString()).ToArray();
        var dictionaries = json.RootElement.GetProperty("double").EnumerateArray()
            .Select(d => d.EnumerateArray().Select(e => e.GetString()).ToArray()).ToArray();

        Assert.Equal(TokenDictionary.SingleByteCount, single.Length);
        for (var i = 0; i < single.Length; i++)
        {
            Assert.Equal(single[i], TokenDictionary.GetSingleByte(i));
        }

        Assert.Equal(TokenDictionary.DictionaryCount, dictionaries.Length);
        for (var d = 0; d < dictionaries.Length; d++)
        {
            Assert.Equal(TokenDictionary.DoubleByteCount, dictionaries[d].Length);
            for (var i = 0; i < dictionaries[d].Length; i++)
            {
                Assert.Equal(dictionaries[d][i], TokenDictionary.GetDoubleByte(d, i));
            }
        }
    }

    [Fact]
    public void Lookup_inverts_the_tables()
    {
        for (var i = 1; i < TokenDictionary.SingleByteCount; i++)
        {
            Assert.True(TokenDictionary.TryGetToken(TokenDictionary.GetSingleByte(i), out var dictionary, out var index));
            Assert.Equal((-1, i), (dictionary, index));
        }

        for (var d = 0; d < TokenDictionary.DictionaryCount; d++)
        {
            for (var i = 0; i < TokenDictionary.DoubleByteCount; i++)
            {
                Assert.True(TokenDictionary.TryGetToken(TokenDictionary.GetDoubleByte(d, i), out var dictionary, out var index));
                Assert.Equal((d, i), (dictionary, index));
            }
        }

        Assert.False(TokenDictionary.TryGetToken("", out _, out _));
        Assert.False(TokenDictionary.TryGetToken("not-a-token-at-all", out _, out _));
    }
}
