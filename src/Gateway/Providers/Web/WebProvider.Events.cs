using Gateway.Events;
using Gateway.Sessions;
using Gateway.WebProtocol.Client;
using ClientStatus = Gateway.WebProtocol.Client.MessageStatus;

namespace Gateway.Providers.Web;

/// <summary>
/// The client's event stream, turned into session states. Messages and receipts do not come this way: the client
/// hands them to the handlers (<see cref="OnMessageAsync"/>, <see cref="OnReceiptsAsync"/>) and waits for their commit.
/// </summary>
internal sealed partial class WebProvider
{
    private async Task PumpAsync(WaClient source, IProviderEvents sink, CancellationToken cancellationToken)
    {
        await foreach (var item in source.Events.ReadAllAsync(cancellationToken))
        {
            try
            {
                await HandleAsync(item, sink, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogError(error, "Handling a {Event} of tenant {Tenant} failed", item.GetType().Name, tenantId);
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
                if (disconnected.Reason.Kind == DisconnectKind.ClientClosed || closing)
                {
                    break;
                }

                await sink.OnStateAsync(ToState(disconnected.Reason), cancellationToken);
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
}
