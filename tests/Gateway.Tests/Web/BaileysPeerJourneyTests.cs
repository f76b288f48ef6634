using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Emulator;
using Gateway.Emulator.Tests;
using Gateway.Qr;
using Gateway.Tests.Support;

namespace Gateway.Tests.Web;

/// <summary>
/// The user's journey with a stock Baileys 7 peer: the gateway runs as its own process (media trusted through
/// SSL_CERT_FILE, the standard way), sends text and an image, receives both, and reports delivered and read.
/// </summary>
public sealed class BaileysPeerJourneyTests
{
    private const string AdminKey = "baileys-journey-admin-key-0123";

    [Fact]
    public async Task Text_and_image_both_ways_with_delivered_and_read()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var baileys = await BaileysDriver.StartAsync(emulator);
        await baileys.PairAsync("bob", "15550000062");
        var sessions = Directory.CreateTempSubdirectory("gateway-baileys-").FullName;
        var environment = new Dictionary<string, string>(emulator.Environment)
        {
            ["GATEWAY_API_KEY"] = AdminKey,
            ["GATEWAY_SESSIONS_DIR"] = sessions,
            ["GATEWAY_LOGS_DIR"] = sessions + "-logs",
            ["GATEWAY_WEBHOOK_URL"] = receiver.Url.ToString(),
            ["GATEWAY_WEBHOOK_SECRET"] = "whsec_" + Convert.ToBase64String(new byte[32]),
        };
        await using var daemon = await DaemonProcess.StartAsync(environment);
        using var api = new HttpClient { BaseAddress = daemon.Url };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        await Tenants.LinkAsync(api, emulator, "shop-a", "15550000061");

        // Gateway -> Baileys: text, then the read receipt bob's phone sends when he opens the chat.
        var textId = await SendAsync(api, new { to = "+1 555 000 0062", type = "text", message = "Your order shipped" });
        var atBob = await baileys.ReceivedAsync("bob", textId);
        Assert.Equal("Your order shipped", atBob.GetProperty("text").GetString());
        await baileys.SendAsync(new JsonObject { ["cmd"] = "read", ["name"] = "bob", ["remoteJid"] = atBob.GetProperty("from").GetString(), ["id"] = textId });
        await Eventually.HoldsAsync(async () => (await api.GetFromJsonAsync<JsonElement>($"api/v1/messages/shop-a/{textId}")).GetProperty("status").GetString() == "read");
        await Eventually.HoldsAsync(() => AckStatuses(receiver, textId).Contains("read"));
        Assert.Contains("delivered", AckStatuses(receiver, textId));

        // Gateway -> Baileys: an image from base64; bob downloads exactly these bytes.
        var png = QrRenderer.Png("a picture of a parcel");
        var imageId = await SendAsync(api, new { to = "15550000062", type = "image", mediaBase64 = Convert.ToBase64String(png), mimeType = "image/png", caption = "the parcel" });
        var imageAtBob = await baileys.ReceivedAsync("bob", imageId);
        Assert.Equal(png, Convert.FromBase64String(imageAtBob.GetProperty("image").GetString()!));
        Assert.Equal("the parcel", imageAtBob.GetProperty("caption").GetString());

        // Baileys -> gateway: text and image arrive as signed message webhooks.
        var replyId = await baileys.SendTextAsync("bob", "15550000061@s.whatsapp.net", "thanks!");
        var photoId = await baileys.SendImageAsync("bob", "15550000061@s.whatsapp.net", png, "it arrived");
        await Eventually.HoldsAsync(() => Inbound(receiver, replyId) is not null && Inbound(receiver, photoId) is not null);
        Assert.Equal("thanks!", Inbound(receiver, replyId)!.Value.GetProperty("text").GetString());
        var photo = Inbound(receiver, photoId)!.Value;
        Assert.Equal("image", photo.GetProperty("type").GetString());
        Assert.Equal("it arrived", photo.GetProperty("caption").GetString());
        Assert.Equal("image/png", photo.GetProperty("media").GetProperty("mimeType").GetString());
        Assert.Equal("15550000062@s.whatsapp.net", photo.GetProperty("from").GetString());
    }

    private static async Task<string> SendAsync(HttpClient api, object body)
    {
        using var sent = await api.PostAsJsonAsync("api/v1/messages/shop-a/send", body);
        var answer = await sent.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(sent.StatusCode == HttpStatusCode.OK && answer.GetProperty("success").GetBoolean(), answer.ToString());
        return answer.GetProperty("messageId").GetString()!;
    }

    private static List<string?> AckStatuses(WebhookReceiver receiver, string messageId) =>
        [.. receiver.Events("message.ack")
            .Select(e => e.GetProperty("data"))
            .Where(d => d.GetProperty("messageId").GetString() == messageId)
            .Select(d => d.GetProperty("status").GetString())];

    private static JsonElement? Inbound(WebhookReceiver receiver, string messageId) =>
        receiver.Events("message").Select(e => e.GetProperty("data")).Cast<JsonElement?>()
            .FirstOrDefault(d => d!.Value.GetProperty("messageId").GetString() == messageId);
}
