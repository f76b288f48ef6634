using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Sqlite;
using Gateway.WebProtocol.Client.Stores;
using LiteDB;

namespace Gateway.SessionStore.Import;

/// <summary>
/// Reads every record of a LiteDB tenant file (document shapes of schema versions 1 to 5; a field a version did not
/// write reads as absent) and writes it into the new database through the stores' own mapping and sealing, keeping
/// outbox sequences and delivery-log ids as they were.
/// </summary>
internal sealed class LiteDbRecords(LiteDatabase lite, TenantConnection connection, StoreAccess access)
{
    public void CopyAll()
    {
        CopyCredentials();
        CopySignal();
        CopyLidMap();
        CopyDeviceLists();
        CopyMessages();
        CopyOutbox();
    }

    private IEnumerable<BsonDocument> All(string collection) =>
        lite.CollectionExists(collection) ? lite.GetCollection(collection).FindAll() : [];

    private void CopyCredentials()
    {
        if (lite.CollectionExists(LiteDbCollections.Credentials) && lite.GetCollection(LiteDbCollections.Credentials).FindById("device") is { } d)
        {
            Wait(new SqliteCredentialsStore(access).SaveAsync(
                new DeviceCredentials
                {
                    NoisePrivateKey = d["noisePriv"].AsBinary,
                    NoisePublicKey = d["noisePub"].AsBinary,
                    IdentityPrivateKey = d["identityPriv"].AsBinary,
                    IdentityPublicKey = d["identityPub"].AsBinary,
                    RegistrationId = d["regId"].AsInt32,
                    SignedPreKeyId = d["spkId"].AsInt32,
                    SignedPreKeyPrivate = d["spkPriv"].AsBinary,
                    SignedPreKeyPublic = d["spkPub"].AsBinary,
                    SignedPreKeySignature = d["spkSig"].AsBinary,
                    AdvSecretKey = d["advSecret"].AsBinary,
                    AccountIdentity = Bytes(d["account"]),
                    MePn = Text(d["mePn"]),
                    MeLid = Text(d["meLid"]),
                    Platform = Text(d["platform"]),
                    PushName = Text(d["pushName"]),
                    NextPreKeyId = d["nextPreKeyId"].IsNull ? 1 : d["nextPreKeyId"].AsInt32,
                    FirstUnuploadedPreKeyId = d["firstUnuploadedPreKeyId"].IsNull ? 1 : d["firstUnuploadedPreKeyId"].AsInt32,
                    RoutingInfo = Bytes(d["routing"]),
                    Registered = !d["registered"].IsNull && d["registered"].AsBoolean,
                },
                CancellationToken.None));
        }
    }

    private void CopySignal()
    {
        foreach (var d in All(LiteDbCollections.Identities))
        {
            var id = d["_id"].AsString;
            connection.Execute("INSERT INTO identities (address, key) VALUES ($a, $k)", ("$a", id), ("$k", access.Seal(d["key"].AsBinary, "identities", id)));
        }

        foreach (var d in All(LiteDbCollections.PreKeys))
        {
            var id = d["_id"].AsInt64;
            connection.Execute(
                "INSERT INTO prekeys (id, data) VALUES ($id, $d)",
                ("$id", id), ("$d", access.Seal(Blobs.Join(d["pub"].AsBinary, d["priv"].AsBinary), "prekeys", SqliteWebhookOutbox.Row(id))));
        }

        foreach (var d in All(LiteDbCollections.SignedPreKeys))
        {
            var id = d["_id"].AsInt64;
            var data = Blobs.Join(d["pub"].AsBinary, d["priv"].AsBinary, d["sig"].AsBinary, BitConverter.GetBytes(d["ts"].AsInt64));
            connection.Execute("INSERT INTO signed_prekeys (id, data) VALUES ($id, $d)", ("$id", id), ("$d", access.Seal(data, "signed_prekeys", SqliteWebhookOutbox.Row(id))));
        }

        foreach (var d in All(LiteDbCollections.Sessions))
        {
            var id = d["_id"].AsString;
            connection.Execute(
                "INSERT INTO sessions (address, name, record) VALUES ($a, $n, $r)",
                ("$a", id), ("$n", d["name"].AsString), ("$r", access.Seal(d["rec"].AsBinary, "sessions", id)));
        }

        foreach (var d in All(LiteDbCollections.SenderKeys))
        {
            var id = d["_id"].AsString;
            connection.Execute(
                "INSERT INTO sender_keys (name, group_id, record) VALUES ($n, $g, $r)",
                ("$n", id), ("$g", d["group"].AsString), ("$r", access.Seal(d["rec"].AsBinary, "sender_keys", id)));
        }
    }

    private void CopyLidMap()
    {
        var mappings = All(LiteDbCollections.LidMap).Select(d => new LidPnMapping(d["_id"].AsString, d["pn"].AsString)).ToList();
        if (mappings.Count > 0)
        {
            Wait(new SqliteLidMapStore(access).StoreMappingsAsync(mappings, CancellationToken.None));
        }
    }

    private void CopyDeviceLists()
    {
        var entries = All(LiteDbCollections.DeviceLists)
            .Select(d => new DeviceListEntry(d["_id"].AsString, [.. d["devices"].AsArray.Select(v => v.AsInt32)], Instants.From(d["at"].AsInt64)))
            .ToList();
        if (entries.Count > 0)
        {
            Wait(new SqliteDeviceListStore(access).PutAsync(entries, CancellationToken.None));
        }
    }

    private void CopyMessages()
    {
        foreach (var d in All(LiteDbCollections.Messages))
        {
            SqliteMessageRecordStore.Upsert(connection, new MessageRecord
            {
                Id = d["_id"].AsString,
                Direction = (MessageDirection)d["dir"].AsInt32,
                Chat = d["chat"].AsString,
                Status = (MessageStatus)d["status"].AsInt32,
                CreatedAt = Instants.From(d["createdAt"].AsInt64),
                UpdatedAt = Instants.From(d["updatedAt"].AsInt64),
                IdempotencyKey = Text(d["ikey"]),
                FailureReason = Text(d["reason"]),
                ProviderMessageId = Text(d["pid"]),
            });
        }
    }

    private void CopyOutbox()
    {
        foreach (var d in All(LiteDbCollections.Outbox))
        {
            var sequence = d["_id"].AsInt64;
            connection.Execute(
                """
                INSERT INTO outbox (sequence, event_id, type, payload, created_at, state, attempts, next_attempt_at, finished_at, last_error)
                VALUES ($s, $e, $t, $p, $c, $state, $n, $next, $fin, $err)
                """,
                ("$s", sequence), ("$e", d["eid"].AsString), ("$t", d["type"].AsString),
                ("$p", access.Seal(d["payload"].AsBinary, "outbox", SqliteWebhookOutbox.Row(sequence))),
                ("$c", d["createdAt"].AsInt64), ("$state", d["state"].AsInt32), ("$n", d["attempts"].AsInt32), ("$next", d["nextAt"].AsInt64),
                ("$fin", d["finishedAt"].IsNull ? null : d["finishedAt"].AsInt64), ("$err", Text(d["error"])));
        }

        foreach (var d in All(LiteDbCollections.DeliveryLog))
        {
            connection.Execute(
                "INSERT INTO delivery_log (id, sequence, event_id, at, outcome, status_code, error) VALUES ($id, $s, $e, $at, $o, $code, $err)",
                ("$id", d["_id"].AsInt64), ("$s", d["seq"].AsInt64), ("$e", d["eid"].AsString), ("$at", d["at"].AsInt64),
                ("$o", d["outcome"].AsInt32), ("$code", d["code"].IsNull ? null : d["code"].AsInt32), ("$err", Text(d["error"])));
        }

        // Sequences continue after the highest ever handed out, which retention may have deleted since.
        foreach (var (name, table) in new[] { ("seq.outbox", "outbox"), ("seq.deliverylog", "delivery_log") })
        {
            var last = lite.CollectionExists(LiteDbCollections.Meta) && lite.GetCollection(LiteDbCollections.Meta).FindById(name) is { } meta ? meta["v"].AsInt64 : 0;
            connection.Execute("INSERT INTO sqlite_sequence (name, seq) SELECT $t, 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = $t)", ("$t", table));
            connection.Execute("UPDATE sqlite_sequence SET seq = max(seq, $v) WHERE name = $t", ("$v", last), ("$t", table));
        }
    }

    private static string? Text(BsonValue value) => value.IsNull ? null : value.AsString;

    private static byte[]? Bytes(BsonValue value) => value.IsNull ? null : value.AsBinary;

    // The stores' tasks complete synchronously inside a unit of work; this keeps their exceptions as they are.
    private static void Wait(Task task) => task.GetAwaiter().GetResult();
}
