-- Congélo kiosk database, schema 5: the photo each product of the configuration names (the SHA-256
-- of a file in the `photos/` folder next to this database; NULL shows the pictogram).

ALTER TABLE products ADD COLUMN photo TEXT;
