using System.Text.Json;
using static Gateway.Emulator.Tests.BaileysDriver;

namespace Gateway.Emulator.Tests;

/// <summary>Two stock Baileys 7 clients pair through the emulator and talk: stock Baileys is the judge.</summary>
public sealed class BaileysMessagingTests
{
    [Fact]
    public async Task Two_clients_pair_by_qr_restart_after_515_and_exchange_text_and_images_both_ways()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var driver = await StartAsync(emulator);

        var opened = await Task.WhenAll(driver.PairAsync("a", "15550001"), driver.PairAsync("b", "15550002"));

        Assert.Equal("15550001:1@s.whatsapp.net", opened[0].GetProperty("me").GetString());
        Assert.Equal(emulator.Admin.GetDevice("15550001:1@s.whatsapp.net")!.Lid, opened[0].GetProperty("lid").GetString());
        Assert.Equal("15550002:1@s.whatsapp.net", opened[1].GetProperty("me").GetString());
        Assert.NotEmpty(driver.Events(e => Is(e, "connection", "a") && e.GetProperty("statusCode").GetInt32() == 515));
        Assert.NotEmpty(driver.Events(e => Is(e, "restart", "b")));

        var toB = await driver.SendTextAsync("a", "15550002@s.whatsapp.net", "hello from a");
        var atB = await driver.ReceivedAsync("b", toB);
        Assert.Equal("hello from a", atB.GetProperty("text").GetString());
        Assert.Equal("15550001@s.whatsapp.net", atB.GetProperty("from").GetString());

        var toA = await driver.SendTextAsync("b", "15550001@s.whatsapp.net", "hello from b");
        var atA = await driver.ReceivedAsync("a", toA);
        Assert.Equal("hello from b", atA.GetProperty("text").GetString());
        Assert.Equal("15550002@s.whatsapp.net", atA.GetProperty("from").GetString());

        var imageForB = TestImage.Png(seed: 1);
        var imageForA = TestImage.Png(seed: 2);
        var imageToB = await driver.SendImageAsync("a", "15550002@s.whatsapp.net", imageForB, "for b");
        var imageToA = await driver.SendImageAsync("b", "15550001@s.whatsapp.net", imageForA, "for a");
        AssertImage(await driver.ReceivedAsync("b", imageToB), imageForB, "for b");
        AssertImage(await driver.ReceivedAsync("a", imageToA), imageForA, "for a");
        Assert.Equal(2, emulator.Media.Count);

        var a = emulator.Admin.GetDevice("15550001:1@s.whatsapp.net")!;
        Assert.True(a.Connected);
        Assert.True(a.Sent["message"] >= 2);
        Assert.True(a.PreKeysOnServer > 0);
    }

    private static void AssertImage(JsonElement received, byte[] original, string caption)
    {
        Assert.False(received.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal(original, Convert.FromBase64String(received.GetProperty("image").GetString()!));
        Assert.Equal(caption, received.GetProperty("caption").GetString());
    }
}
