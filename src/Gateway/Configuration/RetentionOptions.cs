namespace Gateway.Configuration;

/// <summary>
/// How long a tenant's store keeps what grows with every message. Zero keeps that kind for good. Pruning runs only
/// while a tenant is active (see <see cref="Sessions.TenantPruner"/>); an idle tenant's store does not grow.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Gateway:Retention";

    /// <summary>
    /// Delivered webhook events and the delivery log. Keep this at 7 days or more: Meta retries a Cloud API webhook
    /// for up to 7 days, and the outbox's event ids are what drop a retried inbound message; once its event is
    /// pruned, a late retry reaches the app's webhook a second time.
    /// </summary>
    public TimeSpan DeliveredEvents { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Dead-lettered webhook events: longer than delivered ones, so they can still be inspected and redelivered.</summary>
    public TimeSpan DeadLetters { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Webhook events still pending this long after they were created. Only a tenant without any webhook gets there
    /// (a failing webhook dead-letters its events within the retry budget); without this its outbox grows for good.
    /// </summary>
    public TimeSpan PendingEvents { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Message records that are settled (delivered, read, failed, received), counted from their last change; queued
    /// and sent records stay. After this, GET of the message answers 404 and its Idempotency-Key may be used again.
    /// </summary>
    public TimeSpan MessageRecords { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Least time between two prunes of one tenant; 0 never prunes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
