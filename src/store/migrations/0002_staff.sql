-- Congélo kiosk database, schema 2: staff badges (part of the hub's configuration snapshot).
-- A badge is known by the SHA-256 of its payload; its PIN only as an Argon2id PHC string.
CREATE TABLE badges (
    hash     BLOB PRIMARY KEY CHECK (length(hash) = 32),
    staff_id INTEGER NOT NULL,
    pin_hash TEXT NOT NULL,
    revoked  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
