using Gateway.Events;
using Gateway.Sessions;
using Gateway.WebProtocol.Client;
using ClientStatus = Gateway.WebProtocol.Client.MessageStatus;

namespace Gateway.Providers.Web;

/// <summary>The client's event stream, turned into session states and status reports.</summary>
internal sealed partial class WebProvider
{
    /// <summary>Status events already queued behind the first are recorded with it, up to this many.</summary>
    private const int MaxStatusBatch = 64;

    private async Task PumpAsync(WaClient source, IProviderEvents sink, CancellationToken cancellationToken)
    {
        var statuses = new List<MessageStatusEvent>();
        await foreach (var first in source.Events.ReadAllAsync(cancellationToken))
        {
            // Under load acks and receipts queue up here; those already waiting share one unit of work. Nothing
            // waits for more to come, and an event of another kind ends the batch, so the order stays as reported.
            WaEvent? item = first;
            while (item is MessageStatusEvent status && statuses.Count < MaxStatusBatch)
            {
                statuses.Add(status);
                item = source.Events.TryRead(out var next) ? next : null;
            }

            if (statuses.Count > 0)
            {
                await HandleGuardedAsync(nameof(MessageStatusEvent), () => HandleStatusesAsync(statuses, sink, cancellationToken));
                statuses.Clear();
            }

            if (item is not null)
            {
                await HandleGuardedAsync(item.GetType().Name, () => HandleAsync(item, sink, cancellationToken));
            }
        }
    }

    private async Task HandleGuardedAsync(string eventName, Func<Task> handle)
    {
        try
        {
            await handle();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogError(error, "Handling a {Event} of tenant {Tenant} failed", eventName, tenantId);
        }
    }

    private async Task HandleStatusesAsync(List<MessageStatusEvent> statuses, IProviderEvents sink, CancellationToken cancellationToken)
    {
        var reports = new MessageStatusReport[statuses.Count];
        for (var i = 0; i < statuses.Count; i++)
        {
            var status = statuses[i];
            reports[i] = new MessageStatusReport(
                status.MessageId, status.From?.ToNonDevice().ToString(), ToDelivery(status.Status), time.GetUtcNow(),
                status.ErrorCode is { } errorCode ? $"server error {errorCode}" : null);
        }

        try
        {
            await sink.OnStatusUpdatesAsync(reports, cancellationToken);
            foreach (var status in statuses)
            {
                status.Recording?.Recorded(); // the receipt that carried it may be acknowledged now
            }
        }
        catch (Exception error)
        {
            // Their receipts stay unacknowledged and come again at the next login; the status rules drop repeats.
            foreach (var status in statuses)
            {
                status.Recording?.NotRecorded(error);
            }

            throw;
        }
        finally
        {
            // Sends waiting for their server's ack go on once it is recorded (their own "sent" then finds it and
            // commits nothing), or once recording it failed (then they record it themselves).
            foreach (var status in statuses)
            {
                if (status.Status is ClientStatus.Sent or ClientStatus.Failed && awaitingAck.TryGetValue(status.MessageId, out var waiting))
                {
                    waiting.TrySetResult(status.Status == ClientStatus.Sent);
                }
            }
        }
    }

    private async Task HandleAsync(WaEvent item, IProviderEvents sink, CancellationToken cancellationToken)
    {
        switch (item)
        {
            case QrCodeEvent qr:
                await sink.OnStateAsync(new ProviderState(SessionStatus.Qr, Qr: new QrCodeInfo(qr.Text, qr.ExpiresAt)), cancellationToken);
                break;
            case PairingCodeEvent code:
                await sink.OnStateAsync(new ProviderState(SessionStatus.PairingCode, PairingCode: code.Code), cancellationToken);
                break;
            case PairedEvent paired:
                logger.LogInformation("Tenant {Tenant} paired as {Device}", tenantId, Masked(paired.Device));
                await sink.OnStateAsync(new ProviderState(SessionStatus.Connecting, PhoneNumber: paired.Device.User, Lid: paired.Lid?.ToNonDevice().ToString()), cancellationToken);
                break;
            case ConnectedEvent connected:
                await sink.OnStateAsync(new ProviderState(SessionStatus.Connected, PhoneNumber: connected.Device.User, Lid: connected.Lid?.ToNonDevice().ToString()), cancellationToken);
                break;
            case DisconnectedEvent disconnected:
                FailPendingSends();
                if (disconnected.Reason.Kind == DisconnectKind.ClientClosed || closing)
                {
                    break;
                }

                await sink.OnStateAsync(ToState(disconnected.Reason), cancellationToken);
                break;
            case MessageStatusEvent status:
                await HandleStatusesAsync([status], sink, cancellationToken);
                break;
            case DecryptionFailedEvent failed:
                logger.LogWarning("Tenant {Tenant} could not decrypt message {MessageId} (retry {Retry}): {Reason}", tenantId, failed.MessageId, failed.RetryCount, failed.Reason);
                break;
        }
    }

    private ProviderState ToState(DisconnectReason reason)
    {
        var info = new DisconnectInfo(reason.Code ?? DefaultCode(reason.Kind), reason.Kind.ToString(), time.GetUtcNow());
        var status = reason.Kind switch
        {
            DisconnectKind.LoggedOut or DisconnectKind.Forbidden => SessionStatus.LoggedOut,
            DisconnectKind.Replaced => SessionStatus.Replaced,
            DisconnectKind.QrTimeout => SessionStatus.QrTimeout,
            DisconnectKind.PairingFailed => SessionStatus.Failed,
            _ => SessionStatus.Reconnecting,
        };
        return new ProviderState(status, Disconnect: info);
    }

    private static int DefaultCode(DisconnectKind kind) => kind switch
    {
        DisconnectKind.LoggedOut => 401,
        DisconnectKind.Forbidden => 403,
        DisconnectKind.Replaced => 440,
        DisconnectKind.QrTimeout or DisconnectKind.KeepAliveTimeout => 408,
        DisconnectKind.ConnectionLost => 428,
        _ => 500,
    };

    private static DeliveryStatus ToDelivery(ClientStatus status) => status switch
    {
        ClientStatus.Sent => DeliveryStatus.Sent,
        ClientStatus.Delivered => DeliveryStatus.Delivered,
        ClientStatus.Read => DeliveryStatus.Read,
        _ => DeliveryStatus.Failed,
    };

    private void FailPendingSends()
    {
        foreach (var waiting in awaitingAck.Values)
        {
            waiting.TrySetException(new InvalidOperationException("The connection ended before the server acknowledged the message."));
        }
    }
}
