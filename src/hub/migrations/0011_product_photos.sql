-- Congélo hub database, schema 10: product photos.
--
-- A photo is stored once, as the JPEG the hub made from the staff's upload, under the SHA-256 of
-- those bytes (kiosks download it by that name and check it). A product names its photo; changing
-- or removing it updates the product row, which bumps the configuration version through the
-- products trigger, so kiosks pull the change. Photos no product names any more are kept: a kiosk
-- still on an older configuration may ask for one.

CREATE TABLE photos (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    bytes BLOB NOT NULL,
    media_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;

ALTER TABLE products ADD COLUMN photo TEXT REFERENCES photos (sha256);
