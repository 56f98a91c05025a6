-- Congélo hub database, schema 12: the kitchens.
--
-- Surplus comes in (an intake, from an organisation, never a person), kitchens turn intakes into
-- production batches (one product, one lot code, a best-before), and the packs go to freezers.
-- Weights are integer grams, dates 'YYYY-MM-DD' in the hub's time zone. A batch's lot is also
-- written into `lot_dates`, so expiry reports and kiosks' GS1 lots meet the same row.

CREATE TABLE sources (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('farm', 'grocer', 'distributor', 'other'))
) STRICT;

CREATE TABLE intakes (
    id          INTEGER PRIMARY KEY,
    received_on TEXT NOT NULL,
    source_id   INTEGER NOT NULL REFERENCES sources (id),
    description TEXT NOT NULL,
    category    TEXT NOT NULL,
    received_g  INTEGER NOT NULL CHECK (received_g > 0),
    site_id     INTEGER NOT NULL REFERENCES sites (id), -- the kitchen that received it
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX intakes_by_date ON intakes (received_on);

CREATE TABLE production_batches (
    id                  INTEGER PRIMARY KEY,
    produced_on         TEXT NOT NULL,
    site_id             INTEGER NOT NULL REFERENCES sites (id), -- the kitchen
    programme           TEXT,    -- team or work-integration programme, optional
    participant_minutes INTEGER CHECK (participant_minutes IS NULL OR participant_minutes >= 0),
    product_id          INTEGER NOT NULL REFERENCES products (id),
    packs               INTEGER NOT NULL CHECK (packs > 0),
    packed_g            INTEGER NOT NULL CHECK (packed_g > 0),
    lot                 TEXT NOT NULL UNIQUE,
    best_before         TEXT NOT NULL,
    created_at          TEXT NOT NULL
) STRICT;
CREATE INDEX production_batches_by_date ON production_batches (produced_on);

-- Which intakes a batch used, and how much of each. An intake's grams left = received_g minus the
-- sum of used_g over its rows here; the store refuses a batch that would take it below zero.
CREATE TABLE batch_intakes (
    batch_id  INTEGER NOT NULL REFERENCES production_batches (id),
    intake_id INTEGER NOT NULL REFERENCES intakes (id),
    used_g    INTEGER NOT NULL CHECK (used_g > 0),
    PRIMARY KEY (batch_id, intake_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX batch_intakes_by_intake ON batch_intakes (intake_id);

-- What a pack label needs from its product. Names stay in `products.names` (JSON, per locale).
-- `ingredients` and `allergens` are JSON objects locale tag -> text (NULL: none printed);
-- `nutrition` is a JSON object of the Nutrition Facts values per serving (NULL: no table).
ALTER TABLE products ADD COLUMN shelf_life_days INTEGER CHECK (shelf_life_days IS NULL OR shelf_life_days > 0);
ALTER TABLE products ADD COLUMN ingredients TEXT;
ALTER TABLE products ADD COLUMN allergens TEXT;
ALTER TABLE products ADD COLUMN nutrition TEXT;
