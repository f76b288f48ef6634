using System.Collections.Concurrent;
using Gateway.Events;
using Gateway.Messaging;
using Gateway.Providers;
using Gateway.Sessions;
using Gateway.SessionStore;

namespace Gateway.Tests.Sessions;

/// <summary>
/// A provider the test steers: each start connects (or shows a QR) at once, and the test then makes it drop
/// with any code. It exercises the session layer's reconnect rules without a protocol underneath.
/// </summary>
public sealed class ScriptedProvider(ScriptedProviderFactory factory) : IMessagingProvider
{
    private IProviderEvents? events;

    public string Name => "web";

    public async Task StartAsync(IProviderEvents sink, CancellationToken cancellationToken)
    {
        events = sink;
        Interlocked.Increment(ref factory.Starts);
        await sink.OnStateAsync(new ProviderState(SessionStatus.Connecting), cancellationToken);
        if (factory.ShowQr)
        {
            await sink.OnStateAsync(new ProviderState(SessionStatus.Qr, Qr: new QrCodeInfo("2@ref,noise,identity,adv,1", DateTimeOffset.UtcNow.AddSeconds(60))), cancellationToken);
            return;
        }

        await sink.OnStateAsync(new ProviderState(SessionStatus.Connected, PhoneNumber: "15550001111", Lid: "99887766@lid"), cancellationToken);
    }

    /// <summary>Reports what a real provider reports when the connection ends with <paramref name="code"/>.</summary>
    public Task DropAsync(int code)
    {
        var status = code switch
        {
            401 or 403 => SessionStatus.LoggedOut,
            440 => SessionStatus.Replaced,
            _ => SessionStatus.Reconnecting,
        };
        return events!.OnStateAsync(new ProviderState(status, Disconnect: new DisconnectInfo(code, $"scripted {code}", DateTimeOffset.UtcNow)), CancellationToken.None).AsTask();
    }

    /// <summary>Reports a receipt for a sent message, as a provider does when WhatsApp or Meta tells it.</summary>
    public Task ReportAsync(string messageId, DeliveryStatus status, DateTimeOffset at) =>
        events!.OnStatusUpdatesAsync([new MessageStatusReport(messageId, null, status, at, null)], CancellationToken.None).AsTask();

    /// <summary>Reports several receipts that arrived together, as the web provider does under load.</summary>
    public Task ReportManyAsync(IReadOnlyList<MessageStatusReport> reports) =>
        events!.OnStatusUpdatesAsync(reports, CancellationToken.None).AsTask();

    public Task QrTimeoutAsync() =>
        events!.OnStateAsync(new ProviderState(SessionStatus.QrTimeout, Disconnect: new DisconnectInfo(408, "QR refs ended", DateTimeOffset.UtcNow)), CancellationToken.None).AsTask();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task LogoutAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<string> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        factory.Sent.Enqueue(message);
        foreach (var status in factory.ReportOnSend)
        {
            // As the web provider does: its server's ack and even the peer's receipt can be reported as events
            // before the send itself returns.
            await ReportAsync(message.MessageId, status, DateTimeOffset.UtcNow);
        }

        return message.MessageId;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed class ScriptedProviderFactory : IProviderFactory
{
    public int Starts;

    public bool ShowQr { get; set; }

    /// <summary>Statuses each send reports through the event sink before it returns.</summary>
    public IReadOnlyList<DeliveryStatus> ReportOnSend { get; set; } = [];

    public ConcurrentQueue<ScriptedProvider> Created { get; } = new();

    /// <summary>Every message a provider of this factory was asked to send.</summary>
    public ConcurrentQueue<OutboundMessage> Sent { get; } = new();

    public ScriptedProvider Latest => Created.Last();

    public IMessagingProvider Create(string tenantId, TenantSettings settings, TenantStore store)
    {
        var provider = new ScriptedProvider(this);
        Created.Enqueue(provider);
        return provider;
    }
}
