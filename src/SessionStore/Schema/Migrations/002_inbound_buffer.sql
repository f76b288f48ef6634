-- Decrypted inbound messages not yet acknowledged to WhatsApp (the protocol library's event buffer): written in the
-- transaction of the decrypt that produced them, deleted once acknowledged. plaintext is sealed.
CREATE TABLE inbound_buffer (
    key         TEXT PRIMARY KEY,
    plaintext   BLOB NOT NULL,
    received_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX inbound_buffer_by_time ON inbound_buffer (received_at);
