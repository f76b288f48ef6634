using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Emulator.Tests;
using static Gateway.Emulator.Tests.BaileysDriver;

namespace Gateway.Client.Tests;

/// <summary>The driver commands these tests add: media of any kind, read receipts, statuses and enc types.</summary>
internal static class BaileysPeer
{
    /// <summary>Baileys' proto.WebMessageInfo.Status values.</summary>
    public const int DeliveryAck = 3;
    public const int Read = 4;

    private static int nextRef = 100_000;

    public static async Task<string> SendMediaAsync(this BaileysDriver driver, string name, string to, string kind, byte[] data, string mimetype,
        string? fileName = null, string? caption = null)
    {
        var reference = Interlocked.Increment(ref nextRef).ToString(CultureInfo.InvariantCulture);
        var command = new JsonObject
        {
            ["cmd"] = "sendMedia", ["name"] = name, ["to"] = to, ["kind"] = kind, ["data"] = Convert.ToBase64String(data),
            ["mimetype"] = mimetype, ["ref"] = reference,
        };
        if (fileName is not null)
        {
            command["fileName"] = fileName;
        }

        if (caption is not null)
        {
            command["caption"] = caption;
        }

        await driver.SendAsync(command);
        var sent = await driver.WaitForAsync(e => (Is(e, "sent") || Is(e, "error")) && e.TryGetProperty("ref", out var r) && r.GetString() == reference);
        Assert.True(Is(sent, "sent"), sent.GetRawText());
        return sent.GetProperty("id").GetString()!;
    }

    public static async Task ReadAsync(this BaileysDriver driver, string name, JsonElement received)
    {
        var command = new JsonObject
        {
            ["cmd"] = "read", ["name"] = name, ["remoteJid"] = received.GetProperty("from").GetString(), ["id"] = received.GetProperty("id").GetString(),
        };
        await driver.SendAsync(command);
        await driver.WaitForAsync(e => Is(e, "readSent", name) && e.GetProperty("id").GetString() == received.GetProperty("id").GetString());
    }

    /// <summary>Waits until Baileys reports <paramref name="id"/> at <paramref name="status"/> or beyond.</summary>
    public static Task<JsonElement> StatusAsync(this BaileysDriver driver, string name, string id, int status) =>
        driver.WaitForAsync(e => Is(e, "status", name) && e.GetProperty("id").GetString() == id && e.GetProperty("status").GetInt32() >= status);

    /// <summary>The enc types of the stanza that carried the message, as Baileys saw it on the wire.</summary>
    public static string[] EncTypes(JsonElement received) =>
        received.TryGetProperty("encTypes", out var types) && types.ValueKind == JsonValueKind.Array
            ? types.EnumerateArray().Select(t => t.GetString()!).ToArray()
            : [];
}
