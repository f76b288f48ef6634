-- A tenant's state: credentials, Signal state, LID map, device lists, message records, webhook outbox and its log.
-- Columns named data, key, record and payload are sealed per value when the store has a key (ValueSealer);
-- every other column holds ids, states and times only.

CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value BLOB
) WITHOUT ROWID;

CREATE TABLE credentials (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    data BLOB NOT NULL
);

CREATE TABLE identities (
    address TEXT PRIMARY KEY,
    key     BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE prekeys (
    id   INTEGER PRIMARY KEY,
    data BLOB NOT NULL
);

CREATE TABLE signed_prekeys (
    id   INTEGER PRIMARY KEY,
    data BLOB NOT NULL
);

CREATE TABLE sessions (
    address TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    record  BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_name ON sessions (name);

CREATE TABLE sender_keys (
    name     TEXT PRIMARY KEY,
    group_id TEXT NOT NULL,
    record   BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX sender_keys_by_group ON sender_keys (group_id);

CREATE TABLE lid_map (
    lid TEXT PRIMARY KEY,
    pn  TEXT NOT NULL UNIQUE
) WITHOUT ROWID;

CREATE TABLE device_lists (
    user       TEXT PRIMARY KEY,
    devices    TEXT NOT NULL,
    fetched_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    direction       INTEGER NOT NULL,
    chat            TEXT NOT NULL,
    status          INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    settled_at      INTEGER,
    idempotency_key TEXT UNIQUE,
    failure_reason  TEXT,
    provider_id     TEXT
) WITHOUT ROWID;
CREATE INDEX messages_by_provider_id ON messages (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX messages_settled ON messages (settled_at) WHERE settled_at IS NOT NULL;

CREATE TABLE outbox (
    sequence        INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT NOT NULL UNIQUE,
    type            TEXT NOT NULL,
    payload         BLOB NOT NULL,
    created_at      INTEGER NOT NULL,
    state           INTEGER NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    finished_at     INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox (sequence) WHERE state = 1;
CREATE INDEX outbox_finished ON outbox (state, finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE delivery_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sequence    INTEGER NOT NULL,
    event_id    TEXT NOT NULL,
    at          INTEGER NOT NULL,
    outcome     INTEGER NOT NULL,
    status_code INTEGER,
    error       TEXT
);
CREATE INDEX delivery_log_by_sequence ON delivery_log (sequence);
