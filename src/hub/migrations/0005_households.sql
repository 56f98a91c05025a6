-- Congélo hub database: prepaid balance adjustments made by staff, and the card batches issued
-- from the web pages.

-- Every staff change to a household's prepaid balance, with its mandatory reason. The balance
-- itself stays in `households` (so the configuration version bumps and kiosks pull it); this is
-- its ledger, append-only, shown on the household's page.
CREATE TABLE balance_adjustments (
    id            INTEGER PRIMARY KEY,
    household_id  INTEGER NOT NULL REFERENCES households (id),
    at            TEXT NOT NULL,
    delta_cents   INTEGER NOT NULL CHECK (delta_cents <> 0),
    balance_cents INTEGER NOT NULL, -- the balance right after this adjustment
    reason        TEXT NOT NULL CHECK (length(reason) > 0),
    user_id       INTEGER REFERENCES users (id),
    login         TEXT NOT NULL
) STRICT;
CREATE INDEX balance_adjustments_by_household ON balance_adjustments (household_id, id);

CREATE TRIGGER balance_adjustments_append_only_u BEFORE UPDATE ON balance_adjustments
BEGIN SELECT RAISE(ABORT, 'balance adjustments are append-only'); END;
CREATE TRIGGER balance_adjustments_append_only_d BEFORE DELETE ON balance_adjustments
BEGIN SELECT RAISE(ABORT, 'balance adjustments are append-only'); END;

-- One row per card batch issued from the web pages, keyed by the random token of the form that
-- asked for it: a form sent twice (a reload of the printable sheet) issues nothing the second
-- time, since the first batch's codes can never be shown again.
CREATE TABLE card_batches (
    nonce TEXT PRIMARY KEY,
    at    TEXT NOT NULL,
    cards INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
