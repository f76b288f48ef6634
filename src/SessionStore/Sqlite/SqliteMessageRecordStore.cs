using Gateway.SessionStore.Abstractions;
using Microsoft.Data.Sqlite;

namespace Gateway.SessionStore.Sqlite;

internal sealed class SqliteMessageRecordStore(StoreAccess access) : IMessageRecordStore
{
    private const string Columns = "id, direction, chat, status, created_at, updated_at, idempotency_key, failure_reason, provider_id";

    // SQLITE_CONSTRAINT (primary result code): here only the idempotency key's uniqueness can be broken.
    private const int Constraint = 19;

    public Task PutAsync(IReadOnlyCollection<MessageRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            MessageStatusRules.Validate(record);
        }

        return access.WriteAsync(connection =>
        {
            foreach (var record in records)
            {
                try
                {
                    Upsert(connection, record);
                }
                catch (SqliteException error) when ((error.SqliteErrorCode & 0xFF) == Constraint)
                {
                    throw new InvalidOperationException("The idempotency key already belongs to another message.", error);
                }
            }

            return true;
        }, cancellationToken);
    }

    public Task<MessageRecord?> GetByIdAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return access.ReadAsync(connection => connection.Single($"SELECT {Columns} FROM messages WHERE id = $v", Read, ("$v", id)), cancellationToken);
    }

    public Task<MessageRecord?> GetByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        return access.ReadAsync(connection => connection.Single($"SELECT {Columns} FROM messages WHERE idempotency_key = $v", Read, ("$v", idempotencyKey)), cancellationToken);
    }

    public Task<MessageRecord?> GetByProviderMessageIdAsync(string providerMessageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerMessageId);
        return access.ReadAsync(
            connection => connection.Single($"SELECT {Columns} FROM messages WHERE provider_id = $v LIMIT 1", Read, ("$v", providerMessageId)),
            cancellationToken);
    }

    public Task<int> UpdateStatusAsync(IReadOnlyCollection<MessageStatusUpdate> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        foreach (var update in updates)
        {
            ArgumentNullException.ThrowIfNull(update, nameof(updates));
        }

        return access.WriteAsync(connection =>
        {
            var changed = 0;
            foreach (var update in updates)
            {
                if (connection.Scalar("SELECT status FROM messages WHERE id = $id", ("$id", update.Id)) is long status
                    && MessageStatusRules.CanMove((MessageStatus)status, update.Status))
                {
                    connection.Execute(
                        "UPDATE messages SET status = $s, updated_at = $at, settled_at = $settled, failure_reason = $r WHERE id = $id",
                        ("$s", (int)update.Status), ("$at", Instants.Of(update.At)), ("$settled", Settled(update.Status, update.At)), ("$r", update.FailureReason), ("$id", update.Id));
                    changed++;
                }
            }

            return changed;
        }, cancellationToken);
    }

    public Task<int> PruneAsync(DateTimeOffset updatedBefore, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return access.WriteAsync(
            connection => connection.Execute(
                "DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE settled_at IS NOT NULL AND settled_at < $before ORDER BY settled_at LIMIT $max)",
                ("$before", Instants.Of(updatedBefore)), ("$max", max)),
            cancellationToken);
    }

    /// <summary>Writes one record as it is (the importer's way in too).</summary>
    internal static void Upsert(TenantConnection connection, MessageRecord record) =>
        connection.Execute(
            """
            INSERT INTO messages (id, direction, chat, status, created_at, updated_at, settled_at, idempotency_key, failure_reason, provider_id)
            VALUES ($id, $dir, $chat, $s, $c, $u, $settled, $ikey, $r, $pid)
            ON CONFLICT (id) DO UPDATE SET direction = excluded.direction, chat = excluded.chat, status = excluded.status,
                created_at = excluded.created_at, updated_at = excluded.updated_at, settled_at = excluded.settled_at,
                idempotency_key = excluded.idempotency_key, failure_reason = excluded.failure_reason, provider_id = excluded.provider_id
            """,
            ("$id", record.Id), ("$dir", (int)record.Direction), ("$chat", record.Chat), ("$s", (int)record.Status),
            ("$c", Instants.Of(record.CreatedAt)), ("$u", Instants.Of(record.UpdatedAt)), ("$settled", Settled(record.Status, record.UpdatedAt)),
            ("$ikey", record.IdempotencyKey), ("$r", record.FailureReason), ("$pid", record.ProviderMessageId));

    // Retention's key: the last update of a settled record, null while in flight.
    private static long? Settled(MessageStatus status, DateTimeOffset at) => MessageStatusRules.IsSettled(status) ? Instants.Of(at) : null;

    private static MessageRecord Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Direction = (MessageDirection)r.GetInt32(1),
        Chat = r.GetString(2),
        Status = (MessageStatus)r.GetInt32(3),
        CreatedAt = Instants.From(r.GetInt64(4)),
        UpdatedAt = Instants.From(r.GetInt64(5)),
        IdempotencyKey = r.IsDBNull(6) ? null : r.GetString(6),
        FailureReason = r.IsDBNull(7) ? null : r.GetString(7),
        ProviderMessageId = r.IsDBNull(8) ? null : r.GetString(8),
    };
}
