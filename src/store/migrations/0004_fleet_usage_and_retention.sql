-- Congélo kiosk database, schema 4: caps counted across the fleet, and the buyer let go of old
-- sales.
--
-- What every household bought at every kiosk, as the hub last reported it (per local day), and
-- how far the hub held this kiosk's own log then: this kiosk's sales after `as_of_seq` are not in
-- the figures, so caps add them from `sales`. Replaced whole at each pull.
CREATE TABLE hub_usage (
    household_id INTEGER NOT NULL,
    on_day       TEXT NOT NULL, -- 'YYYY-MM-DD', local
    paid_cents   INTEGER NOT NULL,
    items        INTEGER NOT NULL,
    PRIMARY KEY (household_id, on_day)
) STRICT, WITHOUT ROWID;

CREATE TABLE hub_usage_meta (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    as_of_seq INTEGER NOT NULL
) STRICT;

-- Retention: once the hub has acknowledged a sale older than the collective's retention period,
-- the kiosk takes the household and card hash out of it and out of its event, as the hub does.
-- That is the only change a committed sale or an event may ever see.
DROP TRIGGER sales_are_immutable;
CREATE TRIGGER sales_are_immutable BEFORE UPDATE ON sales
WHEN NEW.household_id IS NOT NULL OR NEW.card_hash IS NOT NULL
    OR NEW.id IS NOT OLD.id OR NEW.event_seq IS NOT OLD.event_seq
    OR NEW.kiosk_id IS NOT OLD.kiosk_id OR NEW.at IS NOT OLD.at OR NEW.tier_id IS NOT OLD.tier_id
    OR NEW.full_cents IS NOT OLD.full_cents OR NEW.paid_cents IS NOT OLD.paid_cents
    OR NEW.subsidy_cents IS NOT OLD.subsidy_cents OR NEW.tax_cents IS NOT OLD.tax_cents
    OR NEW.items IS NOT OLD.items OR NEW.net_weight_g IS NOT OLD.net_weight_g
    OR NEW.payment_method IS NOT OLD.payment_method OR NEW.payment_cents IS NOT OLD.payment_cents
    OR NEW.cash_rounding_cents IS NOT OLD.cash_rounding_cents
    OR NEW.payment_reference IS NOT OLD.payment_reference
BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable; record a void'); END;

DROP TRIGGER events_are_append_only_update;
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
WHEN NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id OR NEW.kiosk_id IS NOT OLD.kiosk_id
    OR NEW.at IS NOT OLD.at OR NEW.kind IS NOT OLD.kind OR NEW.kind IS NOT 'sale'
    OR NEW.payload IS NOT json_replace(OLD.payload, '$.data.buyer', NULL)
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
