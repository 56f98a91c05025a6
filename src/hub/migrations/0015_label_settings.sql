-- Congélo hub database, schema 15: what pack labels say about who packed the food, and how the
-- hub numbers products that have no GTIN.
--
-- One row. `rcn_prefix` starts every restricted-circulation number the hub assigns (GTIN-13
-- form: 02, 04 or 20-29, up to 7 digits); `next_rcn` is the next serial under it.

CREATE TABLE label_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    packer_name TEXT NOT NULL,
    address     TEXT NOT NULL,
    rcn_prefix  TEXT NOT NULL,
    next_rcn    INTEGER NOT NULL CHECK (next_rcn > 0)
) STRICT;
INSERT INTO label_settings (id, packer_name, address, rcn_prefix, next_rcn)
VALUES (1, 'Congélo', '', '04', 1);
