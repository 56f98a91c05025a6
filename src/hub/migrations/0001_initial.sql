-- Congélo hub database, schema 1.
-- Times are RFC 3339 UTC text with milliseconds, which sorts as time. Money is integer cents.
-- Card, token and enrolment-code hashes are 32-byte SHA-256 blobs: no secret is ever stored.

-- ── The collective ────────────────────────────────────────────────────────────────────────────
CREATE TABLE territories (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE sites (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    territory_id INTEGER NOT NULL REFERENCES territories (id)
) STRICT;

CREATE TABLE kiosks (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    site_id         INTEGER NOT NULL REFERENCES sites (id),
    created_at      TEXT NOT NULL,
    payment_methods TEXT NOT NULL, -- JSON array, part of the kiosk's configuration
    thresholds      TEXT NOT NULL  -- JSON object, part of the kiosk's configuration
) STRICT;

-- One-time codes a kiosk trades for a token. Used once, then kept for the record.
CREATE TABLE enrolment_codes (
    code_hash  BLOB PRIMARY KEY CHECK (length(code_hash) = 32),
    kiosk_id   INTEGER NOT NULL REFERENCES kiosks (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT, WITHOUT ROWID;

-- Long-lived kiosk tokens. A new enrolment of the same kiosk revokes its older tokens.
CREATE TABLE kiosk_tokens (
    token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    kiosk_id   INTEGER NOT NULL REFERENCES kiosks (id),
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX kiosk_tokens_by_kiosk ON kiosk_tokens (kiosk_id);

-- People who use the hub's web pages. No names: a login only.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL, -- argon2id PHC string
    role          TEXT NOT NULL CHECK (role IN ('admin', 'site_staff', 'viewer')),
    site_id       INTEGER REFERENCES sites (id),
    created_at    TEXT NOT NULL,
    CHECK ((role = 'site_staff') = (site_id IS NOT NULL))
) STRICT;

-- ── The configuration kiosks pull ─────────────────────────────────────────────────────────────
-- One version for the whole collective, bumped by a trigger on every change below, so no admin
-- path can forget it. A kiosk pulls when the version is newer than the one it has.
CREATE TABLE config_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;
INSERT INTO config_state (id, version) VALUES (1, 0);

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

CREATE TABLE barcodes (
    gtin       TEXT PRIMARY KEY, -- GTIN-14
    product_id INTEGER NOT NULL REFERENCES products (id)
) STRICT, WITHOUT ROWID;
CREATE INDEX barcodes_by_product ON barcodes (product_id);

CREATE TABLE tiers (
    id         INTEGER PRIMARY KEY,
    label      TEXT NOT NULL UNIQUE,
    percent    INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    is_default INTEGER NOT NULL,
    caps       TEXT NOT NULL -- JSON array
) STRICT;
CREATE UNIQUE INDEX one_default_tier ON tiers (is_default) WHERE is_default = 1;

CREATE TABLE tier_overrides (
    tier_id     INTEGER NOT NULL REFERENCES tiers (id),
    product_id  INTEGER NOT NULL REFERENCES products (id),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    PRIMARY KEY (tier_id, product_id)
) STRICT, WITHOUT ROWID;

-- Balances and pay-later debts follow the sales the hub receives (see the sale projection).
CREATE TABLE households (
    id                    INTEGER PRIMARY KEY,
    tier_id               INTEGER NOT NULL REFERENCES tiers (id),
    status                TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    expires_on            TEXT,
    caps                  TEXT NOT NULL, -- JSON array
    balance_cents         INTEGER,
    pay_later_limit_cents INTEGER,
    pay_later_owed_cents  INTEGER NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL
) STRICT;

CREATE TABLE cards (
    hash         BLOB PRIMARY KEY CHECK (length(hash) = 32),
    household_id INTEGER NOT NULL REFERENCES households (id),
    revoked      INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX cards_by_household ON cards (household_id);

CREATE TRIGGER config_bump_products_i AFTER INSERT ON products BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_products_u AFTER UPDATE ON products BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_barcodes_i AFTER INSERT ON barcodes BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_barcodes_d AFTER DELETE ON barcodes BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_tiers_i AFTER INSERT ON tiers BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_tiers_u AFTER UPDATE ON tiers BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_overrides_i AFTER INSERT ON tier_overrides BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_overrides_u AFTER UPDATE ON tier_overrides BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_overrides_d AFTER DELETE ON tier_overrides BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_households_i AFTER INSERT ON households BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_households_u AFTER UPDATE ON households BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_cards_i AFTER INSERT ON cards BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_cards_u AFTER UPDATE ON cards BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_kiosks_u AFTER UPDATE OF payment_methods, thresholds ON kiosks
BEGIN UPDATE config_state SET version = version + 1; END;

-- ── What kiosks push ──────────────────────────────────────────────────────────────────────────
-- Every event exactly once: unique on (kiosk, seq). `kiosk_id` is the id of the token that pushed
-- it, whatever the event says (a kiosk may have sold in demo mode before it was enrolled).
-- `content_hash` is SHA-256 of the event's canonical JSON: a re-send must match it byte for byte.
CREATE TABLE events (
    kiosk_id     INTEGER NOT NULL REFERENCES kiosks (id),
    seq          INTEGER NOT NULL CHECK (seq > 0),
    id           TEXT NOT NULL, -- the kiosk's UUIDv7
    at           TEXT NOT NULL, -- the kiosk's clock
    received_at  TEXT NOT NULL, -- the hub's clock
    kind         TEXT NOT NULL,
    content_hash BLOB NOT NULL,
    payload      TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, seq)
) STRICT;

CREATE TRIGGER hub_events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the hub never overwrites an event'); END;
CREATE TRIGGER hub_events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the hub never deletes an event'); END;

-- Per kiosk: the highest contiguous seq held (pushes are refused past a gap, so it is also the
-- highest seq held).
CREATE TABLE kiosk_sync (
    kiosk_id      INTEGER PRIMARY KEY REFERENCES kiosks (id),
    acked_through INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Fleet health: the last push of each kiosk.
CREATE TABLE kiosk_health (
    kiosk_id          INTEGER PRIMARY KEY REFERENCES kiosks (id),
    last_contact      TEXT NOT NULL, -- hub clock
    version           TEXT NOT NULL,
    uptime_s          INTEGER NOT NULL,
    pending           INTEGER NOT NULL,
    disk_free_bytes   INTEGER,
    last_millicelsius INTEGER,
    kiosk_clock       TEXT NOT NULL,
    clock_offset_ms   INTEGER NOT NULL,
    clock_suspect     INTEGER NOT NULL
) STRICT;

-- ── Projections for reports (read over 1 000 000 sales) ─────────────────────────────────────
-- One row per sale with everything a funder's report groups by, denormalised at ingest so no
-- report needs a join: kiosk, site, territory, tier, month (the hub's local time zone).
CREATE TABLE sales (
    id                  TEXT PRIMARY KEY, -- the kiosk's UUIDv7
    kiosk_id            INTEGER NOT NULL,
    event_seq           INTEGER NOT NULL,
    site_id             INTEGER NOT NULL,
    territory_id        INTEGER NOT NULL,
    at                  TEXT NOT NULL, -- kiosk clock
    month               TEXT NOT NULL, -- 'YYYY-MM'
    household_id        INTEGER,
    card_hash           BLOB,
    tier_id             INTEGER NOT NULL,
    items               INTEGER NOT NULL,
    full_cents          INTEGER NOT NULL,
    paid_cents          INTEGER NOT NULL,
    subsidy_cents       INTEGER NOT NULL,
    tax_cents           INTEGER NOT NULL,
    net_weight_g        INTEGER NOT NULL,
    payment_method      TEXT NOT NULL,
    payment_cents       INTEGER NOT NULL,
    cash_rounding_cents INTEGER NOT NULL,
    voided              INTEGER NOT NULL DEFAULT 0,
    CHECK (paid_cents + subsidy_cents = full_cents)
) STRICT, WITHOUT ROWID;
CREATE INDEX sales_by_month ON sales (month, territory_id, site_id, kiosk_id, tier_id);
CREATE INDEX sales_by_kiosk ON sales (kiosk_id, at);
CREATE INDEX sales_by_household ON sales (household_id, at) WHERE household_id IS NOT NULL;

CREATE TABLE sale_lines (
    sale_id            TEXT NOT NULL,
    line_no            INTEGER NOT NULL,
    kiosk_id           INTEGER NOT NULL,
    product_id         INTEGER NOT NULL,
    tier_id            INTEGER NOT NULL,
    month              TEXT NOT NULL,
    quantity           INTEGER NOT NULL CHECK (quantity > 0),
    full_unit_cents    INTEGER NOT NULL,
    charged_unit_cents INTEGER NOT NULL,
    unit_weight_g      INTEGER NOT NULL,
    tax_cents          INTEGER NOT NULL,
    PRIMARY KEY (sale_id, line_no)
) STRICT, WITHOUT ROWID;
CREATE INDEX sale_lines_by_product ON sale_lines (product_id, month);

-- Which lots each line's packs came from: the recall question "which sales held lot X".
CREATE TABLE sale_line_lots (
    sale_id    TEXT NOT NULL,
    line_no    INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    lot        TEXT NOT NULL, -- '' when unknown
    quantity   INTEGER NOT NULL,
    PRIMARY KEY (sale_id, line_no, lot)
) STRICT, WITHOUT ROWID;
CREATE INDEX sale_line_lots_by_lot ON sale_line_lots (lot, product_id);

-- Stock per kiosk, product and lot, following every kiosk's ledger in seq order.
CREATE TABLE stock_levels (
    kiosk_id   INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    lot        TEXT NOT NULL, -- '' when unknown
    level      INTEGER NOT NULL,
    PRIMARY KEY (kiosk_id, product_id, lot)
) STRICT, WITHOUT ROWID;

-- Staff movements (restock, count, loss, transfer), for loss reports.
CREATE TABLE stock_movements (
    kiosk_id    INTEGER NOT NULL,
    event_seq   INTEGER NOT NULL,
    id          TEXT NOT NULL,
    product_id  INTEGER NOT NULL,
    lot         TEXT NOT NULL,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    delta       INTEGER NOT NULL,
    loss_reason TEXT,
    PRIMARY KEY (kiosk_id, event_seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE alarms (
    kiosk_id          INTEGER NOT NULL,
    event_seq         INTEGER NOT NULL,
    kind              TEXT NOT NULL,
    raised            INTEGER NOT NULL,
    at                TEXT NOT NULL,
    lots              TEXT NOT NULL, -- JSON array
    peak_millicelsius INTEGER,
    PRIMARY KEY (kiosk_id, event_seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX alarms_by_time ON alarms (at);
