using Gateway.Emulator;
using Gateway.Emulator.Tests;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Media;
using Gateway.WebProtocol.Types;

namespace Gateway.Client.Tests;

/// <summary>Two of our clients through the emulator: image, document and audio both ways, the bytes unchanged.</summary>
public sealed class OurClientMediaTests
{
    [Fact]
    public async Task Image_document_and_voice_note_both_ways_download_to_the_same_bytes()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var alice = await TestClient.PairAsync(emulator, "15550000201");
        await using var bob = await TestClient.PairAsync(emulator, "15550000202");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var image = TestImage.Png(seed: 21);
        var document = new byte[40_000];
        new Random(22).NextBytes(document);
        var voice = new byte[6_000];
        new Random(23).NextBytes(voice);

        foreach (var (from, to, phone) in new[] { (alice, bob, "15550000202"), (bob, alice, "15550000201") })
        {
            var peer = new Jid(phone, JidServer.User);
            var imageId = await from.Client.SendMediaAsync(peer, new MediaContent(MediaKind.Image, image, "image/png") { Caption = "look" }, timeout.Token);
            var documentId = await from.Client.SendMediaAsync(peer, new MediaContent(MediaKind.Document, document, "application/pdf") { FileName = "invoice.pdf" }, timeout.Token);
            var voiceId = await from.Client.SendMediaAsync(peer, new MediaContent(MediaKind.Audio, voice, "audio/ogg; codecs=opus") { VoiceNote = true, Seconds = 3 }, timeout.Token);

            var gotImage = (await to.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == imageId)).Message;
            Assert.Equal("look", gotImage.Text);
            Assert.Equal(image, await to.Client.DownloadMediaAsync(gotImage.Content, timeout.Token));
            var gotDocument = (await to.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == documentId)).Message;
            Assert.Equal("invoice.pdf", gotDocument.Content.DocumentMessage.FileName);
            Assert.Equal(document, await to.Client.DownloadMediaAsync(gotDocument.Content, timeout.Token));
            var gotVoice = (await to.Events.WaitForAsync<MessageReceivedEvent>(e => e.Message.Id == voiceId)).Message;
            Assert.True(gotVoice.Content.AudioMessage.Ptt);
            Assert.Equal(voice, await to.Client.DownloadMediaAsync(gotVoice.Content, timeout.Token));
        }
    }
}
