-- Congélo kiosk database, schema 8: lots under an open recall, part of the configuration
-- snapshot (replaced whole with it). A scanned pack of one of these is refused.
CREATE TABLE recalled_lots (
    product_id INTEGER NOT NULL,
    lot        TEXT NOT NULL,
    PRIMARY KEY (product_id, lot)
) STRICT, WITHOUT ROWID;
