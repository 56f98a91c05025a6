-- Congélo kiosk database, schema 1.
-- Times are RFC 3339 UTC text with milliseconds ("2026-11-28T14:03:07.123Z"), which sorts as time.
-- Money is integer cents. Card hashes are 32-byte SHA-256 blobs; no card secret is ever stored.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The configuration snapshot pulled from the hub, replaced whole in one transaction.
CREATE TABLE config_meta (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    version         INTEGER NOT NULL,
    -- The hub's acknowledged seq when the snapshot was applied: balances in the snapshot include
    -- this kiosk's sales up to it at most, so later prepaid and pay-later sales are subtracted.
    as_of_seq       INTEGER NOT NULL DEFAULT 0,
    payment_methods TEXT NOT NULL, -- JSON array
    thresholds      TEXT NOT NULL  -- JSON object
) STRICT;

CREATE TABLE products (
    id               INTEGER PRIMARY KEY,
    internal_code    TEXT UNIQUE,
    names            TEXT NOT NULL, -- JSON object, locale tag -> name
    pictogram        TEXT NOT NULL,
    net_weight_g     INTEGER NOT NULL CHECK (net_weight_g > 0),
    full_price_cents INTEGER NOT NULL CHECK (full_price_cents >= 0),
    tax_rate         INTEGER NOT NULL,
    active           INTEGER NOT NULL
) STRICT;

-- GTINs in their 14-digit form; the index that makes a scan a lookup.
CREATE TABLE barcodes (
    gtin       TEXT PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX barcodes_by_product ON barcodes (product_id);

CREATE TABLE tiers (
    id         INTEGER PRIMARY KEY,
    label      TEXT NOT NULL,
    percent    INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    is_default INTEGER NOT NULL,
    caps       TEXT NOT NULL -- JSON array
) STRICT;

CREATE TABLE tier_overrides (
    tier_id     INTEGER NOT NULL REFERENCES tiers (id) ON DELETE CASCADE,
    product_id  INTEGER NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    PRIMARY KEY (tier_id, product_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE households (
    id                    INTEGER PRIMARY KEY,
    tier_id               INTEGER NOT NULL REFERENCES tiers (id),
    status                TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    expires_on            TEXT,
    caps                  TEXT NOT NULL, -- JSON array
    balance_cents         INTEGER,
    pay_later_limit_cents INTEGER,
    pay_later_owed_cents  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE cards (
    hash         BLOB PRIMARY KEY CHECK (length(hash) = 32),
    household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    revoked      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The event log: what is pushed to the hub. Gapless seq from 1, never updated or deleted.
-- Tables written by a sale carry as few indexes as possible: every index is one more page in the
-- WAL at each commit, and the commit's cost is what a resident waits for at the door.
CREATE TABLE events (
    seq      INTEGER PRIMARY KEY,
    id       TEXT NOT NULL, -- UUIDv7, unique by construction
    kiosk_id INTEGER NOT NULL,
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL,
    payload  TEXT NOT NULL -- JSON of the event body
) STRICT;

CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

-- Highest seq the hub has acknowledged.
CREATE TABLE sync_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    acked_through INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO sync_state (id, acked_through) VALUES (1, 0);

CREATE TABLE sales (
    id                  TEXT PRIMARY KEY,
    event_seq           INTEGER NOT NULL REFERENCES events (seq),
    kiosk_id            INTEGER NOT NULL,
    at                  TEXT NOT NULL,
    card_hash           BLOB,
    household_id        INTEGER,
    tier_id             INTEGER NOT NULL,
    full_cents          INTEGER NOT NULL,
    paid_cents          INTEGER NOT NULL,
    subsidy_cents       INTEGER NOT NULL,
    tax_cents           INTEGER NOT NULL,
    items               INTEGER NOT NULL,
    net_weight_g        INTEGER NOT NULL,
    payment_method      TEXT NOT NULL,
    payment_cents       INTEGER NOT NULL,
    cash_rounding_cents INTEGER NOT NULL,
    payment_reference   TEXT,
    CHECK (paid_cents + subsidy_cents = full_cents)
) STRICT, WITHOUT ROWID;
CREATE INDEX sales_by_household ON sales (household_id, at) WHERE household_id IS NOT NULL;

CREATE TABLE sale_lines (
    sale_id            TEXT NOT NULL REFERENCES sales (id),
    line_no            INTEGER NOT NULL,
    product_id         INTEGER NOT NULL,
    quantity           INTEGER NOT NULL CHECK (quantity > 0),
    full_unit_cents    INTEGER NOT NULL,
    charged_unit_cents INTEGER NOT NULL,
    unit_weight_g      INTEGER NOT NULL,
    tax_cents          INTEGER NOT NULL,
    PRIMARY KEY (sale_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER sales_are_immutable BEFORE UPDATE ON sales
BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable; record a void'); END;
CREATE TRIGGER sales_are_kept BEFORE DELETE ON sales
BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable; record a void'); END;
CREATE TRIGGER sale_lines_are_immutable BEFORE UPDATE ON sale_lines
BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable; record a void'); END;

CREATE TABLE sale_voids (
    sale_id   TEXT PRIMARY KEY REFERENCES sales (id),
    event_seq INTEGER NOT NULL UNIQUE REFERENCES events (seq),
    at        TEXT NOT NULL,
    reason    TEXT NOT NULL
) STRICT;

-- Lots seen at this kiosk (from GS1 labels or entered by staff).
CREATE TABLE lots (
    product_id   INTEGER NOT NULL,
    code         TEXT NOT NULL,
    packed_on    TEXT,
    best_before  TEXT,
    packing_site TEXT,
    PRIMARY KEY (product_id, code)
) STRICT, WITHOUT ROWID;

-- The stock ledger. `delta` is the change of level; a count stores the delta that brings the level
-- to the counted value (and the value itself in `counted_level`), so a level is a plain sum.
CREATE TABLE stock_movements (
    id            TEXT NOT NULL, -- UUIDv7
    event_seq     INTEGER NOT NULL REFERENCES events (seq),
    product_id    INTEGER NOT NULL,
    lot           TEXT,
    at            TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('restock', 'sale', 'loss', 'count', 'transfer_in', 'transfer_out')),
    delta         INTEGER NOT NULL,
    counted_level INTEGER,
    loss_reason   TEXT,
    sale_id       TEXT REFERENCES sales (id),
    other_kiosk   INTEGER
) STRICT;

-- Levels per product and lot, kept equal to the sum of the ledger by the trigger below, in the
-- same transaction as the movement, so reading a level never scans the history. The unknown lot
-- is stored as ''. (It can always be rebuilt: SELECT product_id, lot, SUM(delta) … GROUP BY.)
CREATE TABLE stock_levels (
    product_id INTEGER NOT NULL,
    lot        TEXT NOT NULL,
    level      INTEGER NOT NULL,
    PRIMARY KEY (product_id, lot)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER stock_levels_follow_the_ledger AFTER INSERT ON stock_movements
BEGIN
    INSERT INTO stock_levels (product_id, lot, level)
    VALUES (NEW.product_id, COALESCE(NEW.lot, ''), NEW.delta)
    ON CONFLICT (product_id, lot) DO UPDATE SET level = level + excluded.level;
END;

CREATE TRIGGER stock_movements_are_append_only BEFORE UPDATE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END;

-- Freezer temperature, one row per sample: unix seconds and thousandths of a degree.
CREATE TABLE temperature_samples (
    at_s         INTEGER PRIMARY KEY,
    millicelsius INTEGER NOT NULL
) STRICT;
