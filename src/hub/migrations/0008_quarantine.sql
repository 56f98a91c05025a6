-- Congélo hub database, schema 8: events that broke a rule, and sales priced otherwise than the
-- hub prices them.
--
-- A quarantined event is still in `events` (the kiosk's log stays whole, a re-send stays a
-- duplicate) but no projection holds it; this table says why, for the admins' page.
CREATE TABLE quarantined_events (
    kiosk_id    INTEGER NOT NULL REFERENCES kiosks (id),
    seq         INTEGER NOT NULL,
    reason      TEXT NOT NULL, -- a stable code, e.g. 'totals_do_not_add_up'
    message     TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, seq),
    FOREIGN KEY (kiosk_id, seq) REFERENCES events (kiosk_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER quarantined_events_are_kept BEFORE DELETE ON quarantined_events
BEGIN SELECT RAISE(ABORT, 'a quarantined event is kept'); END;

-- Lines a kiosk charged otherwise than the hub's catalogue and tiers price them when the sale
-- arrived. Not refused: an offline kiosk sells from the price list it last pulled, whose version
-- the sale carries (`kiosk_config_version`, absent from older kiosks).
CREATE TABLE price_mismatches (
    sale_id                TEXT NOT NULL,
    line_no                INTEGER NOT NULL,
    kiosk_id               INTEGER NOT NULL,
    product_id             INTEGER NOT NULL,
    tier_id                INTEGER NOT NULL,
    full_unit_cents        INTEGER NOT NULL,
    charged_unit_cents     INTEGER NOT NULL,
    hub_full_unit_cents    INTEGER NOT NULL,
    hub_charged_unit_cents INTEGER NOT NULL,
    kiosk_config_version   INTEGER,
    hub_config_version     INTEGER NOT NULL,
    at                     TEXT NOT NULL, -- the sale's time (kiosk clock)
    PRIMARY KEY (sale_id, line_no)
) STRICT, WITHOUT ROWID;
CREATE INDEX price_mismatches_by_kiosk ON price_mismatches (kiosk_id, at);
