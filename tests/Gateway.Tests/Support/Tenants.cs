using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Emulator;

namespace Gateway.Tests.Support;

/// <summary>What tests do to tenants over the REST API: link one through the emulated phone, read its status.</summary>
public static class Tenants
{
    /// <summary>Starts the tenant, has the emulated phone scan the QR the API serves, waits for connected.</summary>
    /// <returns>The linked device's JID at the emulator, for fault injection.</returns>
    public static async Task<string> LinkAsync(HttpClient api, EmulatorServer emulator, string tenantId, string phone)
    {
        using (await api.PostAsync(new Uri($"/api/v1/sessions/{tenantId}/start", UriKind.Relative), null))
        {
        }

        var qr = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{tenantId}/qr?format=json")).GetProperty("qr").GetString()!;
        await emulator.Admin.ScanQrAsync(qr, phone, CancellationToken.None);
        await Eventually.HoldsAsync(async () => await StatusAsync(api, tenantId) == "connected");
        return emulator.Admin.ListDevices().Single(d => d.Jid.StartsWith(phone + ":", StringComparison.Ordinal)).Jid;
    }

    public static async Task<string?> StatusAsync(HttpClient api, string tenantId) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{tenantId}/status")).GetProperty("status").GetString();
}
