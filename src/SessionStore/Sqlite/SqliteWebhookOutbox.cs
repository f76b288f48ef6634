using System.Globalization;
using Gateway.SessionStore.Abstractions;
using Microsoft.Data.Sqlite;

namespace Gateway.SessionStore.Sqlite;

/// <summary>
/// Events by sequence (AUTOINCREMENT: never reused, so delivery order survives retention); the pending queue is a
/// partial index on the sequence, so the next batch is read without looking at the backlog. Payloads are sealed.
/// </summary>
internal sealed partial class SqliteWebhookOutbox(StoreAccess access) : IWebhookOutbox
{
    private const string Table = "outbox";
    private const string Columns = "sequence, event_id, type, payload, created_at, state, attempts, next_attempt_at, finished_at, last_error";

    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewOutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var item in events)
        {
            OutboxRules.Validate(item);
        }

        return access.WriteAsync<IReadOnlyList<long>>(connection =>
        {
            var sequences = new long[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                var item = events[i];
                if (connection.Scalar("SELECT sequence FROM outbox WHERE event_id = $e", ("$e", item.EventId)) is long existing)
                {
                    sequences[i] = existing;
                    continue;
                }

                // The payload is sealed for its row, so the row's sequence is taken first: the next AUTOINCREMENT
                // value, which only this writer can take.
                var sequence = (long)connection.Scalar("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0) + 1")!;
                connection.Execute(
                    "INSERT INTO outbox (sequence, event_id, type, payload, created_at, state, attempts, next_attempt_at) VALUES ($s, $e, $t, $p, $c, 1, 0, $c)",
                    ("$s", sequence), ("$e", item.EventId), ("$t", item.EventType), ("$p", access.Seal(item.Payload, Table, Row(sequence))), ("$c", Instants.Of(item.CreatedAt)));
                sequences[i] = sequence;
            }

            return sequences;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<OutboxEvent>> ReadPendingAsync(int max, CancellationToken cancellationToken)
    {
        OutboxRules.ValidateMax(max);
        return access.ReadAsync<IReadOnlyList<OutboxEvent>>(
            connection => connection.Query($"SELECT {Columns} FROM outbox WHERE state = 1 ORDER BY sequence LIMIT $max", Read, ("$max", max)),
            cancellationToken);
    }

    public Task<IReadOnlyList<OutboxEvent>> ReadDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        OutboxRules.ValidateMax(max);
        return access.ReadAsync<IReadOnlyList<OutboxEvent>>(
            connection => connection.Query($"SELECT {Columns} FROM outbox WHERE state = 3 AND finished_at IS NOT NULL ORDER BY sequence LIMIT $max", Read, ("$max", max)),
            cancellationToken);
    }

    public Task<OutboxEvent?> GetAsync(long sequence, CancellationToken cancellationToken) =>
        access.ReadAsync(connection => Get(connection, sequence), cancellationToken);

    public Task<int> MarkDeliveredAsync(IReadOnlyCollection<long> sequences, DateTimeOffset at, int? statusCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var distinct = sequences.Distinct().ToArray();
        return access.WriteAsync(
            connection => distinct.Count(sequence => ChangePending(
                connection,
                sequence,
                "UPDATE outbox SET state = 2, attempts = attempts + 1, finished_at = $at WHERE sequence = $s",
                [("$at", Instants.Of(at)), ("$s", sequence)],
                eventId => new DeliveryLogEntry(sequence, eventId, at, DeliveryOutcome.Delivered, statusCode, null))),
            cancellationToken);
    }

    public Task<int> RecordFailuresAsync(IReadOnlyCollection<OutboxFailure> failures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failures);
        foreach (var failure in failures)
        {
            ArgumentNullException.ThrowIfNull(failure, nameof(failures));
        }

        return access.WriteAsync(connection => failures.Count(failure =>
        {
            var error = OutboxRules.Clip(failure.Error);
            return ChangePending(
                connection,
                failure.Sequence,
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $next, last_error = $err WHERE sequence = $s",
                [("$next", Instants.Of(failure.NextAttemptAt)), ("$err", error), ("$s", failure.Sequence)],
                eventId => new DeliveryLogEntry(failure.Sequence, eventId, failure.At, DeliveryOutcome.Failed, failure.StatusCode, error));
        }), cancellationToken);
    }

    public Task<int> DeadLetterAsync(IReadOnlyCollection<long> sequences, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var clipped = OutboxRules.Clip(reason);
        var distinct = sequences.Distinct().ToArray();
        return access.WriteAsync(
            connection => distinct.Count(sequence => ChangePending(
                connection,
                sequence,
                "UPDATE outbox SET state = 3, finished_at = $at, last_error = $err WHERE sequence = $s",
                [("$at", Instants.Of(at)), ("$err", clipped), ("$s", sequence)],
                eventId => new DeliveryLogEntry(sequence, eventId, at, DeliveryOutcome.DeadLettered, null, clipped))),
            cancellationToken);
    }

    public Task<bool> RequeueAsync(long sequence, DateTimeOffset at, CancellationToken cancellationToken) =>
        access.WriteAsync(connection =>
        {
            var eventId = connection.Scalar("SELECT event_id FROM outbox WHERE sequence = $s AND state <> 1", ("$s", sequence)) as string;
            if (eventId is null)
            {
                return false;
            }

            connection.Execute("UPDATE outbox SET state = 1, next_attempt_at = $at, finished_at = NULL WHERE sequence = $s", ("$at", Instants.Of(at)), ("$s", sequence));
            AppendLog(connection, new DeliveryLogEntry(sequence, eventId, at, DeliveryOutcome.Requeued, null, null));
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<DeliveryLogEntry>> ReadDeliveryLogAsync(long? sequence, int max, CancellationToken cancellationToken)
    {
        OutboxRules.ValidateMax(max);
        return access.ReadAsync<IReadOnlyList<DeliveryLogEntry>>(
            connection => sequence is { } one
                ? connection.Query("SELECT sequence, event_id, at, outcome, status_code, error FROM delivery_log WHERE sequence = $s ORDER BY id DESC LIMIT $max", ReadLog, ("$s", one), ("$max", max))
                : connection.Query("SELECT sequence, event_id, at, outcome, status_code, error FROM delivery_log ORDER BY id DESC LIMIT $max", ReadLog, ("$max", max)),
            cancellationToken);
    }

    /// <summary>Appends one delivery-log line (the importer's way in too).</summary>
    internal static void AppendLog(TenantConnection connection, DeliveryLogEntry entry) =>
        connection.Execute(
            "INSERT INTO delivery_log (sequence, event_id, at, outcome, status_code, error) VALUES ($s, $e, $at, $o, $code, $err)",
            ("$s", entry.Sequence), ("$e", entry.EventId), ("$at", Instants.Of(entry.At)), ("$o", (int)entry.Outcome), ("$code", entry.StatusCode), ("$err", entry.Error));

    internal static string Row(long sequence) => sequence.ToString(CultureInfo.InvariantCulture);

    private static bool ChangePending(TenantConnection connection, long sequence, string update, (string, object?)[] args, Func<string, DeliveryLogEntry> logEntry)
    {
        var eventId = connection.Scalar("SELECT event_id FROM outbox WHERE sequence = $s AND state = 1", ("$s", sequence)) as string;
        if (eventId is null)
        {
            return false;
        }

        connection.Execute(update, args);
        AppendLog(connection, logEntry(eventId));
        return true;
    }

    private OutboxEvent? Get(TenantConnection connection, long sequence) =>
        connection.Single($"SELECT {Columns} FROM outbox WHERE sequence = $s", Read, ("$s", sequence));

    private OutboxEvent Read(SqliteDataReader r)
    {
        var sequence = r.GetInt64(0);
        return new OutboxEvent
        {
            Sequence = sequence,
            EventId = r.GetString(1),
            EventType = r.GetString(2),
            Payload = access.Open((byte[])r.GetValue(3), Table, Row(sequence)),
            CreatedAt = Instants.From(r.GetInt64(4)),
            State = (OutboxEventState)r.GetInt32(5),
            Attempts = r.GetInt32(6),
            NextAttemptAt = Instants.From(r.GetInt64(7)),
            FinishedAt = r.IsDBNull(8) ? null : Instants.From(r.GetInt64(8)),
            LastError = r.IsDBNull(9) ? null : r.GetString(9),
        };
    }

    private static DeliveryLogEntry ReadLog(SqliteDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        Instants.From(r.GetInt64(2)),
        (DeliveryOutcome)r.GetInt32(3),
        r.IsDBNull(4) ? null : r.GetInt32(4),
        r.IsDBNull(5) ? null : r.GetString(5));
}
