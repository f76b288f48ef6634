using Gateway.Events;
using Gateway.Messaging;
using Gateway.Observability;
using Gateway.SessionStore.Abstractions;
using Gateway.Webhooks;

namespace Gateway.Sessions;

/// <summary>The outcome of a send request as the API reports it.</summary>
public sealed record SendOutcome(string MessageId, MessageStatus Status, bool Replayed, string? Error);

/// <summary>Outbound messages: persisted first, paced per tenant, then handed to the provider.</summary>
public sealed partial class TenantSession
{
    private readonly SemaphoreSlim pacing = new(1, 1);
    private long lastSendTimestamp;

    /// <summary>
    /// Sends once per idempotency key: a repeated key returns the first attempt's record instead of sending
    /// again. The record is on disk (queued) before the provider sees the message.
    /// </summary>
    public async Task<SendOutcome> SendAsync(OutboundMessage message, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && await Store.Messages.GetByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } earlier)
        {
            return new SendOutcome(earlier.Id, earlier.Status, Replayed: true, earlier.FailureReason);
        }

        if (provider is not { } current || State.Status != SessionStatus.Connected)
        {
            throw new SessionNotConnectedException(TenantId, State.Status);
        }

        var now = time.GetUtcNow();
        var record = new MessageRecord
        {
            Id = message.MessageId,
            Direction = MessageDirection.Outbound,
            Chat = message.To.Jid,
            Status = MessageStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
            IdempotencyKey = idempotencyKey,
        };
        try
        {
            await Store.Messages.PutAsync([record], cancellationToken);
        }
        catch (InvalidOperationException) when (idempotencyKey is not null)
        {
            // Another request with the same key won the race: answer with its record.
            var winner = await Store.Messages.GetByIdempotencyKeyAsync(idempotencyKey, cancellationToken);
            return new SendOutcome(winner!.Id, winner.Status, Replayed: true, winner.FailureReason);
        }

        await PaceAsync(cancellationToken);
        string providerId;
        try
        {
            providerId = await current.SendAsync(message, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            var reason = error is Providers.Cloud.CloudApiException cloud ? $"cloud {(int)cloud.Status} {cloud.Code}" : error.GetType().Name;
            await FailAsync(record, reason, cancellationToken);
            logger.LogWarning("Send {MessageId} of tenant {Tenant} failed: {Reason}", record.Id, TenantId, reason);
            return new SendOutcome(record.Id, MessageStatus.Failed, Replayed: false, reason);
        }

        var sent = record with
        {
            Status = MessageStatus.Sent,
            UpdatedAt = time.GetUtcNow(),
            ProviderMessageId = providerId == record.Id ? null : providerId,
        };
        var envelope = WebhookEnvelope.Create(
            EventIds.ForStatus(record.Id, "sent"), EventNames.MessageSent, TenantId, sent.UpdatedAt,
            new { messageId = record.Id, status = "sent", chat = record.Chat, at = sent.UpdatedAt });
        await Store.RunInTransactionAsync(
            async (stores, token) =>
            {
                await stores.Messages.PutAsync([sent], token);
                await stores.Outbox.AppendAsync([ToOutbox(envelope)], token);
            },
            cancellationToken);
        metrics.Increment(MetricNames.MessagesOut, "Messages sent.", GatewayMetrics.Label("provider", Settings.Provider));
        Touch(sent.UpdatedAt);
        Webhooks.Notify();
        return new SendOutcome(record.Id, MessageStatus.Sent, Replayed: false, null);
    }

    private async Task FailAsync(MessageRecord record, string reason, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var envelope = WebhookEnvelope.Create(
            EventIds.ForStatus(record.Id, "failed"), EventNames.MessageAck, TenantId, at,
            new { messageId = record.Id, status = "failed", chat = record.Chat, at, error = reason });
        await Store.RunInTransactionAsync(
            async (stores, token) =>
            {
                await stores.Messages.UpdateStatusAsync([new MessageStatusUpdate(record.Id, MessageStatus.Failed, at, reason)], token);
                await stores.Outbox.AppendAsync([ToOutbox(envelope)], token);
            },
            CancellationToken.None);
        Webhooks.Notify();
    }

    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        if (options.SendInterval <= TimeSpan.Zero)
        {
            return;
        }

        await pacing.WaitAsync(cancellationToken);
        try
        {
            var since = time.GetElapsedTime(Interlocked.Read(ref lastSendTimestamp));
            if (lastSendTimestamp != 0 && since < options.SendInterval)
            {
                await Task.Delay(options.SendInterval - since, time, cancellationToken);
            }

            Interlocked.Exchange(ref lastSendTimestamp, time.GetTimestamp());
        }
        finally
        {
            pacing.Release();
        }
    }
}

/// <summary>A send was refused because the tenant is not connected; the API answers 409 with the status.</summary>
public sealed class SessionNotConnectedException(string tenantId, SessionStatus status)
    : InvalidOperationException($"Tenant '{tenantId}' is {status.WireName()}, not connected.")
{
    public SessionStatus Status { get; } = status;
}
