using Gateway.Events;
using Gateway.Observability;
using Gateway.Providers;
using Gateway.SessionStore;
using Gateway.SessionStore.Abstractions;
using Gateway.Webhooks;

namespace Gateway.Sessions;

/// <summary>What providers report, turned into state, records and outbox events.</summary>
public sealed partial class TenantSession
{
    /// <summary>
    /// An inbound message's record and webhook event, in one unit of work; durable when this returns. A message seen
    /// before (a redelivery) keeps its record and makes no second event: the event id derives from the message.
    /// </summary>
    internal async ValueTask OnInboundMessageAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var fresh = await Store.RunInTransactionAsync((stores, token) => WriteInboundAsync(stores, message, token), cancellationToken);
        if (fresh)
        {
            metrics.Increment(MetricNames.MessagesIn, "Messages received.", GatewayMetrics.Label("provider", Settings.Provider));
            Touch(time.GetUtcNow());
            Webhooks.Notify();
        }
    }

    private async Task<bool> WriteInboundAsync(ITenantStores stores, InboundMessage message, CancellationToken cancellationToken)
    {
        if (await stores.Messages.GetByIdAsync(message.MessageId, cancellationToken) is not null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var envelope = WebhookEnvelope.Create(EventIds.ForInboundMessage(message.From, message.MessageId), EventNames.Message, TenantId, now, message);
        var record = new MessageRecord
        {
            Id = message.MessageId,
            Direction = MessageDirection.Inbound,
            Chat = message.Chat,
            Status = MessageStatus.Received,
            CreatedAt = message.Timestamp,
            UpdatedAt = now,
        };
        await stores.Messages.PutAsync([record], cancellationToken);
        await stores.Outbox.AppendAsync([ToOutbox(envelope)], cancellationToken);
        return true;
    }

    internal async ValueTask OnStatusReportsAsync(IReadOnlyList<MessageStatusReport> reports, CancellationToken cancellationToken)
    {
        var moved = false;
        // Read, checked and written in one unit of work: a record is read once, and no other status change can
        // land between the check and the write. Reports for the same message see each other's writes, in order.
        // Reports that move nothing write nothing and commit nothing.
        await Store.RunInTransactionAsync(
            async (stores, token) =>
            {
                foreach (var report in reports)
                {
                    moved |= await MoveStatusAsync(stores, report, token);
                }
            },
            cancellationToken);
        if (moved)
        {
            Webhooks.Notify();
        }
    }

    /// <summary>Moves a record as <paramref name="report"/> says, if the status rules let it; writes its event with it.</summary>
    /// <param name="providerMessageId">The provider's id for the message, where the send just learnt it.</param>
    private async Task<bool> MoveStatusAsync(ITenantStores stores, MessageStatusReport report, CancellationToken cancellationToken, string? providerMessageId = null)
    {
        var status = report.Status switch
        {
            DeliveryStatus.Sent => MessageStatus.Sent,
            DeliveryStatus.Delivered => MessageStatus.Delivered,
            DeliveryStatus.Read => MessageStatus.Read,
            DeliveryStatus.Failed => MessageStatus.Failed,
            _ => MessageStatus.Queued,
        };
        var record = await stores.Messages.GetByIdAsync(report.ProviderMessageId, cancellationToken)
            ?? await stores.Messages.GetByProviderMessageIdAsync(report.ProviderMessageId, cancellationToken);
        if (record is null || !MessageStatusRules.CanMove(record.Status, status))
        {
            return false;
        }

        var statusName = status.ToString().ToLowerInvariant();
        var envelope = WebhookEnvelope.Create(
            EventIds.ForStatus(record.Id, statusName),
            status == MessageStatus.Sent ? EventNames.MessageSent : EventNames.MessageAck,
            TenantId,
            time.GetUtcNow(),
            new { messageId = record.Id, status = statusName, chat = record.Chat, recipient = report.Recipient, at = report.At, error = report.Error });
        var moved = record with
        {
            Status = status,
            UpdatedAt = report.At,
            FailureReason = report.Error,
            ProviderMessageId = providerMessageId ?? record.ProviderMessageId,
        };
        await stores.Messages.PutAsync([moved], cancellationToken);
        await stores.Outbox.AppendAsync([ToOutbox(envelope)], cancellationToken);
        return true;
    }

    private async ValueTask OnProviderStateAsync(IMessagingProvider source, ProviderState reported, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(source, provider))
        {
            return; // a provider that was already replaced or stopped
        }

        var now = time.GetUtcNow();
        var current = State;
        var next = current with
        {
            Status = reported.Status,
            PhoneNumber = reported.PhoneNumber ?? current.PhoneNumber,
            Lid = reported.Lid ?? current.Lid,
            Qr = reported.Status == SessionStatus.Qr ? reported.Qr : null,
            PairingCode = reported.Status == SessionStatus.PairingCode ? reported.PairingCode : null,
            LastDisconnect = reported.Disconnect ?? current.LastDisconnect,
            LastActivity = reported.Status == SessionStatus.Connected ? now : current.LastActivity,
        };
        await SetStateAsync(next, cancellationToken);

        switch (reported.Status)
        {
            case SessionStatus.Connected:
                backoff.Reset();
                logger.LogInformation("Tenant {Tenant} connected as {Phone}", TenantId, Masked(next.PhoneNumber));
                break;
            case SessionStatus.Reconnecting:
                ScheduleReconnect(source, reported.Disconnect);
                break;
            case SessionStatus.LoggedOut or SessionStatus.Replaced or SessionStatus.Failed or SessionStatus.QrTimeout:
                logger.LogWarning("Tenant {Tenant} stopped: {Status} ({Code})", TenantId, reported.Status.WireName(), reported.Disconnect?.Code);
                break;
        }
    }

    private void ScheduleReconnect(IMessagingProvider source, DisconnectInfo? disconnect)
    {
        var delay = backoff.Next();
        metrics.Increment(MetricNames.Reconnects, "Reconnect attempts after a transient disconnect.");
        logger.LogInformation("Tenant {Tenant} disconnected ({Code}); reconnecting in {Delay} ms", TenantId, disconnect?.Code, (int)delay.TotalMilliseconds);
        var cancel = new CancellationTokenSource();
        var previous = Interlocked.Exchange(ref reconnect, cancel);
        previous?.Cancel();
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, time, cancel.Token);
                await lifecycle.WaitAsync(cancel.Token);
                try
                {
                    if (ReferenceEquals(provider, source) && State.Status == SessionStatus.Reconnecting)
                    {
                        await StartProviderLockedAsync(cancel.Token);
                    }
                }
                finally
                {
                    lifecycle.Release();
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
                // The session was disposed while the reconnect waited.
            }
        });
    }

    private async ValueTask SetStateAsync(SessionState next, CancellationToken cancellationToken)
    {
        SessionState previous;
        lock (stateGate)
        {
            previous = state;
            state = next;
            foreach (var subscriber in subscribers)
            {
                subscriber.Writer.TryWrite(next);
            }
        }

        var events = new List<NewOutboxEvent>();
        var now = time.GetUtcNow();
        if (previous.Status != next.Status)
        {
            events.Add(ToOutbox(WebhookEnvelope.Create(EventIds.New(), EventNames.SessionStatus, TenantId, now, new
            {
                status = next.Status.WireName(),
                previous = previous.Status.WireName(),
                phoneNumber = next.PhoneNumber,
                lid = next.Lid,
                lastDisconnect = next.LastDisconnect,
            })));
        }

        if (next.Qr is { } qr && qr != previous.Qr)
        {
            events.Add(ToOutbox(WebhookEnvelope.Create(EventIds.New(), EventNames.SessionQr, TenantId, now, new { qr = qr.Text, expiresAt = qr.ExpiresAt })));
        }

        if (events.Count > 0)
        {
            await Store.Outbox.AppendAsync(events, cancellationToken);
            Webhooks.Notify();
        }
    }

    private void Touch(DateTimeOffset now)
    {
        lock (stateGate)
        {
            state = state with { LastActivity = now };
        }
    }

    private static NewOutboxEvent ToOutbox(WebhookEnvelope envelope) =>
        new(envelope.Id, envelope.Event, envelope.ToUtf8Bytes(), envelope.Timestamp);

    /// <summary>The sink one provider instance reports through; it is ignored once that provider is replaced.</summary>
    private sealed class ProviderEventSink(TenantSession session, IMessagingProvider source) : IProviderEvents
    {
        public ValueTask OnStateAsync(ProviderState state, CancellationToken cancellationToken) =>
            session.OnProviderStateAsync(source, state, cancellationToken);

        public ValueTask OnMessageAsync(InboundMessage message, CancellationToken cancellationToken) =>
            session.OnInboundMessageAsync(message, cancellationToken);

        public ValueTask OnStatusUpdatesAsync(IReadOnlyList<MessageStatusReport> updates, CancellationToken cancellationToken) =>
            session.OnStatusReportsAsync(updates, cancellationToken);
    }
}
