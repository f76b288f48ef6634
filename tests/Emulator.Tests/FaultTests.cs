using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Emulator.Admin;
using static Gateway.Emulator.Tests.TestNodes;

namespace Gateway.Emulator.Tests;

/// <summary>Fault injection and inspection, through the C# facade and the HTTP admin API.</summary>
public sealed class FaultTests
{
    [Theory]
    [InlineData(403)]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task A_stream_error_with_any_code_arrives_and_the_connection_closes(int code)
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var (companion, device) = await PairAndLoginAsync(emulator, "15555000");
        await using var _ = companion;

        Assert.True(emulator.Admin.SendStreamError(device.Jid, code));

        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await companion.ReceiveAsync(n => n.Tag == "stream:error")).GetAttribute("code"));
        Assert.True(await companion.ClosedAsync());
        Assert.True(await Eventually.TrueAsync(() => !emulator.Admin.GetDevice(device.Jid)!.Connected));
    }

    [Fact]
    public async Task Failure_and_drop_close_the_connection()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var (companion, device) = await PairAndLoginAsync(emulator, "15555001");
        await using var _ = companion;

        Assert.True(emulator.Admin.SendFailure(device.Jid, 500));
        Assert.Equal("500", (await companion.ReceiveAsync(n => n.Tag == "failure")).GetAttribute("reason"));
        Assert.True(await companion.ClosedAsync());

        await companion.ConnectForLoginAsync(device.Jid);
        await companion.ReceiveAsync(n => n.Tag == "ib");
        Assert.True(emulator.Admin.DropConnection(device.Jid));
        Assert.True(await companion.ClosedAsync());
        Assert.False(emulator.Admin.DropConnection("15555999:1@s.whatsapp.net"));
    }

    [Fact]
    public async Task Ignored_pings_get_no_answer_while_other_iqs_still_do()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var (companion, device) = await PairAndLoginAsync(emulator, "15555002");
        await using var _ = companion;
        Assert.True(emulator.Admin.SetFaults(device.Jid, new FaultSettings(IgnorePings: true)));

        await companion.SendAsync(Iq("ping1", "w:p", "get", N("ping")));
        await companion.SendAsync(Iq("other1", "blocklist", "get"));

        // Answers keep order on one connection: the first answer being the later iq proves the ping got none.
        Assert.Equal("other1", (await companion.ReceiveAsync(n => n.Tag == "iq")).GetAttribute("id"));
        Assert.True(emulator.Admin.SetFaults(device.Jid, new FaultSettings(IgnorePings: false)));
        await companion.SendAsync(Iq("ping2", "w:p", "get", N("ping")));
        Assert.Equal("ping2", (await companion.ReceiveAsync(n => n.Tag == "iq")).GetAttribute("id"));
    }

    [Fact]
    public async Task The_http_admin_api_lists_devices_and_injects_faults()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var (companion, device) = await PairAndLoginAsync(emulator, "15555003");
        await using var _ = companion;
        using var http = new HttpClient { BaseAddress = new Uri(emulator.AdminUrl + "/") };
        await companion.SendAsync(Iq("q1", "blocklist", "get"));
        await companion.ReceiveAsync(n => n.GetAttribute("id") == "q1");

        var devices = await http.GetFromJsonAsync<JsonElement>("devices");
        var listed = Assert.Single(devices.EnumerateArray());
        Assert.Equal(device.Jid, listed.GetProperty("jid").GetString());
        Assert.True(listed.GetProperty("connected").GetBoolean());
        Assert.Equal(1, listed.GetProperty("sent").GetProperty("iq").GetInt32());

        var badScan = await http.PostAsJsonAsync("scan", new { qr = "2@nobody,AQID,BAUG,BwgJ,1", phone = "15555004" });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, badScan.StatusCode);

        var error = await http.PostAsJsonAsync($"devices/{Uri.EscapeDataString(device.Jid)}/stream-error", new { code = 440 });
        Assert.Equal(System.Net.HttpStatusCode.NoContent, error.StatusCode);
        Assert.Equal("440", (await companion.ReceiveAsync(n => n.Tag == "stream:error")).GetAttribute("code"));

        var missing = await http.PostAsJsonAsync("devices/15555999%3A1%40s.whatsapp.net/faults", new FaultSettings(IgnorePings: true));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }
}
