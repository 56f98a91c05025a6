-- Staff badges. A kiosk lets staff in with a badge it holds the hash of and that badge's PIN;
-- the hub keeps only those two hashes. No names: the badge's id is the pseudonymous staff id on
-- the kiosk's staff events and stock movements. A badge bound to a site works on that site's
-- kiosks only; one without a site (the collective's own staff) works everywhere.
CREATE TABLE staff_badges (
    id         INTEGER PRIMARY KEY,
    hash       BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
    pin_hash   TEXT NOT NULL CHECK (pin_hash LIKE '$argon2%'),
    site_id    INTEGER REFERENCES sites (id),
    revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER config_bump_badges_i AFTER INSERT ON staff_badges BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_badges_u AFTER UPDATE ON staff_badges BEGIN UPDATE config_state SET version = version + 1; END;
