using System.Text.Json;
using Gateway.Emulator;
using Gateway.Emulator.Tests;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Media;
using Gateway.WebProtocol.Types;
using static Gateway.Emulator.Tests.BaileysDriver;

namespace Gateway.Client.Tests;

/// <summary>Our client and a stock Baileys 7 client through the emulator: stock Baileys judges what we send.</summary>
public sealed class BaileysPeerMessagingTests
{
    private const string OurPhone = "15550000101";
    private const string PeerPhone = "15550000102";
    private static readonly Jid PeerJid = new(PeerPhone, JidServer.User);

    [Fact]
    public async Task Text_both_ways_with_delivery_and_read_statuses_on_both_sides()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var driver = await StartAsync(emulator);
        var paired = driver.PairAsync("b", PeerPhone);
        await using var ours = await TestClient.PairAsync(emulator, OurPhone);
        await paired;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var toPeer = await ours.Client.SendTextAsync(PeerJid, "hello baileys", timeout.Token);
        var atPeer = await driver.ReceivedAsync("b", toPeer);
        Assert.Equal("hello baileys", atPeer.GetProperty("text").GetString());
        // We address by LID (as WhatsApp Web does), so Baileys keys the chat by our LID; by PN would be fine too.
        Assert.Contains(atPeer.GetProperty("from").GetString(), new[] { OurPhone + "@s.whatsapp.net", emulator.Admin.FindLid(OurPhone) });
        await ours.Events.WaitForAsync<MessageStatusEvent>(e => e.MessageId == toPeer && e.Status == MessageStatus.Delivered);
        await driver.ReadAsync("b", atPeer);
        await ours.Events.WaitForAsync<MessageStatusEvent>(e => e.MessageId == toPeer && e.Status == MessageStatus.Read);

        var toUs = await driver.SendTextAsync("b", OurPhone + "@s.whatsapp.net", "hello gateway");
        var atUs = (await ours.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == toUs)).Message;
        Assert.Equal("hello gateway", atUs.Text);
        Assert.False(atUs.FromMe);
        await driver.StatusAsync("b", toUs, BaileysPeer.DeliveryAck);
        await ours.Client.SendReadReceiptAsync(atUs.Chat, [toUs], timeout.Token);
        await driver.StatusAsync("b", toUs, BaileysPeer.Read);
    }

    [Fact]
    public async Task Image_document_and_audio_both_ways_download_to_the_same_bytes()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var driver = await StartAsync(emulator);
        var paired = driver.PairAsync("m", PeerPhone);
        await using var ours = await TestClient.PairAsync(emulator, OurPhone);
        await paired;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var image = TestImage.Png(seed: 11);
        var document = RandomBytes(seed: 12, 70_000);
        var audio = RandomBytes(seed: 13, 9_000);

        // Ours to Baileys: Baileys downloads through its own HTTPS stack trusting the CA via NODE_EXTRA_CA_CERTS.
        var sentImage = await ours.Client.SendMediaAsync(PeerJid, new MediaContent(MediaKind.Image, image, "image/png") { Caption = "png for b" }, timeout.Token);
        var sentDocument = await ours.Client.SendMediaAsync(PeerJid, new MediaContent(MediaKind.Document, document, "application/pdf") { FileName = "report.pdf" }, timeout.Token);
        var sentAudio = await ours.Client.SendMediaAsync(PeerJid, new MediaContent(MediaKind.Audio, audio, "audio/ogg; codecs=opus") { Seconds = 2 }, timeout.Token);
        var gotImage = await driver.ReceivedAsync("m", sentImage);
        AssertNoError(gotImage);
        Assert.Equal(image, Convert.FromBase64String(gotImage.GetProperty("image").GetString()!));
        Assert.Equal("png for b", gotImage.GetProperty("caption").GetString());
        var gotDocument = await driver.ReceivedAsync("m", sentDocument);
        AssertNoError(gotDocument);
        Assert.Equal(("document", "report.pdf"), (gotDocument.GetProperty("mediaKind").GetString(), gotDocument.GetProperty("fileName").GetString()));
        Assert.Equal(document, Convert.FromBase64String(gotDocument.GetProperty("media").GetString()!));
        var gotAudio = await driver.ReceivedAsync("m", sentAudio);
        AssertNoError(gotAudio);
        Assert.Equal("audio", gotAudio.GetProperty("mediaKind").GetString());
        Assert.Equal(audio, Convert.FromBase64String(gotAudio.GetProperty("media").GetString()!));

        // Baileys to ours: our download goes through the handler that trusts only the emulator's CA.
        var to = OurPhone + "@s.whatsapp.net";
        var imageId = await driver.SendMediaAsync("m", to, "image", image, "image/png", caption: "png for us");
        var documentId = await driver.SendMediaAsync("m", to, "document", document, "application/pdf", fileName: "back.pdf");
        var audioId = await driver.SendMediaAsync("m", to, "audio", audio, "audio/ogg; codecs=opus");
        var imageAtUs = (await ours.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == imageId)).Message;
        Assert.Equal("png for us", imageAtUs.Text);
        Assert.Equal(image, await ours.Client.DownloadMediaAsync(imageAtUs.Content, timeout.Token));
        var documentAtUs = (await ours.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == documentId)).Message;
        Assert.Equal("back.pdf", documentAtUs.Content.DocumentMessage.FileName);
        Assert.Equal(document, await ours.Client.DownloadMediaAsync(documentAtUs.Content, timeout.Token));
        var audioAtUs = (await ours.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == audioId)).Message;
        Assert.NotNull(audioAtUs.Content.AudioMessage);
        Assert.Equal(audio, await ours.Client.DownloadMediaAsync(audioAtUs.Content, timeout.Token));
        Assert.Equal(6, emulator.Media.Count);
    }

    private static void AssertNoError(JsonElement received) =>
        Assert.False(received.TryGetProperty("error", out var error), error.ToString());

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
