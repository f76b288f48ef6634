using Gateway.Events;
using Gateway.Messaging;
using Gateway.Observability;
using Gateway.Providers;
using Gateway.SessionStore;
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
    /// again. The record is committed (queued) before the provider is asked to send, so nothing leaves that the
    /// gateway does not know about; the provider returns once its server took the message.
    /// </summary>
    public async Task<SendOutcome> SendAsync(OutboundMessage message, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && await Store.Messages.GetByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } earlier)
        {
            return Replay(earlier);
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
            // Another request with the same key committed first: exactly one of them sends.
            return Replay((await Store.Messages.GetByIdempotencyKeyAsync(idempotencyKey, cancellationToken))!);
        }

        await PaceAsync(cancellationToken);
        string providerId;
        try
        {
            providerId = await current.SendAsync(message, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            var reason = error switch
            {
                Providers.Cloud.CloudApiException cloud => $"cloud {(int)cloud.Status} {cloud.Code}",
                Outbound.TargetNotAllowedException => Outbound.TargetNotAllowedException.ProblemSlug,
                WebProtocol.Client.MessageRejectedException rejected => $"server error {rejected.Code}",
                _ => error.GetType().Name,
            };
            await FailAsync(record, reason, cancellationToken);
            logger.LogWarning("Send {MessageId} of tenant {Tenant} failed: {Reason}", record.Id, TenantId, reason);
            return new SendOutcome(record.Id, MessageStatus.Failed, Replayed: false, reason);
        }

        await RecordSentAsync(record, providerId == record.Id ? null : providerId, cancellationToken);
        metrics.Increment(MetricNames.MessagesOut, "Messages sent.", GatewayMetrics.Label("provider", Settings.Provider));
        return new SendOutcome(record.Id, MessageStatus.Sent, Replayed: false, null);
    }

    /// <summary>
    /// Moves the record to sent once the provider's server took the message, under the same rules as a status
    /// report: a delivery receipt that raced ahead is not moved back.
    /// </summary>
    private async Task RecordSentAsync(MessageRecord record, string? providerMessageId, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var moved = false;
        await Store.RunInTransactionAsync(
            async (stores, token) => moved = await MoveStatusAsync(stores, new MessageStatusReport(record.Id, null, DeliveryStatus.Sent, at, null), token, providerMessageId),
            cancellationToken);
        Touch(at);
        if (moved)
        {
            Webhooks.Notify();
        }
    }

    private static SendOutcome Replay(MessageRecord earlier) => new(earlier.Id, earlier.Status, Replayed: true, earlier.FailureReason);

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
