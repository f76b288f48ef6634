using System.Text;
using System.Text.Json;
using Gateway.Interop;
using Gateway.Webhooks;

namespace Gateway.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    [Fact]
    public async Task Signatures_verify_with_the_standardwebhooks_package_for_every_rotated_secret_and_fail_for_a_wrong_one()
    {
        var current = WebhookSecret.Generate();
        var previous = WebhookSecret.Generate();
        var wrong = WebhookSecret.Generate();
        const string body = "{\"id\":\"evt_1\",\"event\":\"message\",\"tenantId\":\"shop-1\",\"data\":{\"text\":\"h\\u00e9llo \\ud83d\\ude00\"}}";
        var headers = WebhookSignature.Sign("evt_1", DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes(body), [current, previous]);
        var headerMap = headers.All().ToDictionary(h => h.Key, h => h.Value);
        var tampered = body.Replace("shop-1", "shop-2", StringComparison.Ordinal);

        var cases = new[]
        {
            new { body, headers = headerMap, secret = current.Text },
            new { body, headers = headerMap, secret = previous.Text },
            new { body, headers = headerMap, secret = wrong.Text },
            new { body = tampered, headers = headerMap, secret = current.Text },
        };
        var output = await NodeHarness.RunAsync("webhooks/verify.mjs", JsonSerializer.Serialize(new { cases }));
        var results = JsonDocument.Parse(output).RootElement.EnumerateArray()
            .Select(r => (Standard: r.GetProperty("standard").GetString(), Simple: r.GetProperty("simple").GetString()))
            .ToArray();

        Assert.Equal(("ok", "ok"), results[0]);
        Assert.Equal("ok", results[1].Standard);
        Assert.Equal("mismatch", results[1].Simple);
        Assert.Equal(("No matching signature found", "mismatch"), results[2]);
        Assert.Equal(("No matching signature found", "mismatch"), results[3]);
    }

    [Fact]
    public void Signature_header_lists_one_v1_entry_per_secret()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var secret = WebhookSecret.FromKey(key);

        var headers = WebhookSignature.Sign("msg_1", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), "{}"u8, [secret, secret]);

        Assert.Equal("1700000000", headers.Timestamp);
        var entries = headers.Signature.Split(' ');
        Assert.Equal(2, entries.Length);
        Assert.All(entries, e => Assert.StartsWith("v1,", e, StringComparison.Ordinal));
        Assert.Equal(secret.Text, WebhookSecret.Parse(secret.Text).Text);
    }

    [Theory]
    [InlineData("whsec_")]
    [InlineData("whsec_!!!notbase64")]
    public void Malformed_whsec_secret_is_refused(string text) =>
        Assert.Throws<FormatException>(() => WebhookSecret.Parse(text));
}
