using Gateway.Emulator.Pairing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Emulator.Admin;

/// <summary>The admin HTTP API on loopback, one endpoint per <see cref="EmulatorAdmin"/> operation.</summary>
internal static class AdminApi
{
    public static void MapAdminApi(this IEndpointRouteBuilder endpoints, EmulatorAdmin admin)
    {
        var group = endpoints.MapGroup("/admin");
        group.MapPost("/scan", (ScanRequest body, CancellationToken ct) => PairAsync(() => admin.ScanQrAsync(body.Qr, body.Phone, ct)));
        group.MapPost("/pairing-code", (CodeRequest body, CancellationToken ct) => PairAsync(() => admin.SubmitPairingCodeAsync(body.Phone, body.Code, ct)));
        group.MapPost("/adopt", (AdoptedDevice body) => PairAsync(() => Task.FromResult(admin.AdoptDevice(body))));
        group.MapGet("/devices", () => TypedResults.Ok(admin.ListDevices()));
        group.MapGet("/stats", () => TypedResults.Ok(admin.Stats()));
        group.MapGet("/devices/{jid}", Results<Ok<DeviceStatus>, NotFound> (string jid) =>
            admin.GetDevice(jid) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound());
        group.MapPost("/devices/{jid}/remove", (string jid) => Outcome(admin.RemoveDevice(jid)));
        group.MapPost("/devices/{jid}/drop", (string jid) => Outcome(admin.DropConnection(jid)));
        group.MapPost("/devices/{jid}/stream-error", (string jid, CodeBody body) => Outcome(admin.SendStreamError(jid, body.Code)));
        group.MapPost("/devices/{jid}/failure", (string jid, ReasonBody body) => Outcome(admin.SendFailure(jid, body.Reason)));
        group.MapPost("/devices/{jid}/faults", (string jid, FaultSettings body) => Outcome(admin.SetFaults(jid, body)));
    }

    private static Results<NoContent, NotFound> Outcome(bool done) => done ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Ok<PairedDevice>, Conflict<string>>> PairAsync(Func<Task<PairedDevice>> pair)
    {
        try
        {
            return TypedResults.Ok(await pair().ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or TimeoutException)
        {
            return TypedResults.Conflict(ex.Message);
        }
    }

    private sealed record ScanRequest(string Qr, string Phone);

    private sealed record CodeRequest(string Phone, string Code);

    private sealed record CodeBody(int Code);

    private sealed record ReasonBody(int Reason);
}
