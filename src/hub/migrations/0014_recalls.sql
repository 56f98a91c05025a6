-- Congélo hub database, schema 14: recalls.
--
-- A recall starts from a lot, a production batch or an intake (a farm reports a problem) and names
-- every lot it covers in `recall_lots` (product and lot code, as kiosks read them from GS1 codes).
-- While a recall is open its lots go to every kiosk with the configuration, so opening and closing
-- one bump the configuration version like any other change kiosks must see.

CREATE TABLE recalls (
    id           INTEGER PRIMARY KEY,
    origin       TEXT NOT NULL CHECK (origin IN ('lot', 'batch', 'intake')),
    origin_ref   TEXT NOT NULL,  -- the lot code, the batch's lot, or the intake's id
    reason       TEXT NOT NULL,
    opened_at    TEXT NOT NULL,
    closed_at    TEXT,
    close_reason TEXT
) STRICT;

CREATE TABLE recall_lots (
    recall_id  INTEGER NOT NULL REFERENCES recalls (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    lot        TEXT NOT NULL,
    PRIMARY KEY (recall_id, product_id, lot)
) STRICT, WITHOUT ROWID;
CREATE INDEX recall_lots_by_lot ON recall_lots (product_id, lot);

-- Where a lot went: restocks and losses by lot.
CREATE INDEX stock_movements_by_lot ON stock_movements (lot, product_id);

CREATE TRIGGER config_bump_recall_lots_i AFTER INSERT ON recall_lots
BEGIN UPDATE config_state SET version = version + 1; END;
CREATE TRIGGER config_bump_recalls_u AFTER UPDATE OF closed_at ON recalls
BEGIN UPDATE config_state SET version = version + 1; END;
