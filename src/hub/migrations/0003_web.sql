-- Congélo hub database: the web pages' accounts, sessions and audit log; tier names per language.

-- ── Accounts ──────────────────────────────────────────────────────────────────────────────────
-- A disabled user cannot log in and loses every session. Failed logins count towards a lockout;
-- a success resets the count.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN language TEXT; -- 'fr-CA', 'en-CA', or NULL: the browser's
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT;

-- Server-side sessions: the cookie holds a random id, the hub keeps only its SHA-256. The CSRF
-- token of every form of the session lives here too.
CREATE TABLE web_sessions (
    id_hash    BLOB PRIMARY KEY CHECK (length(id_hash) = 32),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX web_sessions_by_user ON web_sessions (user_id);

-- ── Audit log ─────────────────────────────────────────────────────────────────────────────────
-- Every write through the web pages, in the same transaction as the write itself. Append-only.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id), -- NULL: someone not logged in (a failed login)
    login   TEXT NOT NULL,                 -- as typed or as it was then
    action  TEXT NOT NULL,                 -- stable code, e.g. 'product.create'
    subject TEXT NOT NULL,                 -- what was changed, e.g. 'product 12'
    detail  TEXT NOT NULL                  -- JSON object: the values written
) STRICT;
CREATE INDEX audit_log_by_user ON audit_log (user_id, id);

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- ── Catalogue ─────────────────────────────────────────────────────────────────────────────────
-- Tier names for staff pages, per language (JSON object tag -> name); `label` stays the short,
-- unique staff label. Kiosks never show a tier, so the snapshot does not carry the names.
ALTER TABLE tiers ADD COLUMN names TEXT NOT NULL DEFAULT '{}';
