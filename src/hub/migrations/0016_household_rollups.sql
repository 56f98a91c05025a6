-- Congélo hub database, schema 16: how many distinct households the collective served, without
-- reading the sales.
--
-- The impact report counts households per month or year, for every site or one, by territory,
-- site or product. Counting distinct cards over a year of sales takes seconds on a million sales;
-- these rollups hold one row per card per month and place (and product), so a year is a few
-- thousand rows. Ingest adds a sale (`sales` counts that card's sales in the row), a void takes
-- it back out, and a row whose count falls to zero is deleted.
--
-- The card hashes here are pseudonyms like those on `sales`, and leave with them: when the
-- retention job detaches a sale from its household, the sale's rows lose it too. Before the first
-- sale of a month or a year loses its card, that period's counts are written to
-- `households_counted` (and the period to `households_counted_periods`), so the figure for a
-- period already reported stays what it was.

CREATE TABLE rollup_households (
    month        TEXT NOT NULL, -- 'YYYY-MM', the sale's reporting month
    site_id      INTEGER NOT NULL,
    territory_id INTEGER NOT NULL,
    card_hash    BLOB NOT NULL,
    sales        INTEGER NOT NULL, -- that card's sales
    PRIMARY KEY (month, site_id, territory_id, card_hash)
) STRICT, WITHOUT ROWID;

CREATE TABLE rollup_household_products (
    month        TEXT NOT NULL,
    site_id      INTEGER NOT NULL,
    territory_id INTEGER NOT NULL,
    product_id   INTEGER NOT NULL,
    card_hash    BLOB NOT NULL,
    sales        INTEGER NOT NULL, -- that card's sales holding the product
    PRIMARY KEY (month, site_id, territory_id, product_id, card_hash)
) STRICT, WITHOUT ROWID;

-- A period ('YYYY' or 'YYYY-MM') whose household counts were written before retention began to
-- detach its sales: its counts are read from `households_counted`, never from the rollups.
CREATE TABLE households_counted_periods (
    period TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

CREATE TABLE households_counted (
    period     TEXT NOT NULL,
    grouping   TEXT NOT NULL CHECK (grouping IN ('month', 'territory', 'site', 'product')),
    site_scope INTEGER NOT NULL, -- 0: every site; otherwise the one site counted
    group_id   INTEGER NOT NULL, -- 0 when grouped by month
    households INTEGER NOT NULL CHECK (households >= 0),
    PRIMARY KEY (period, grouping, site_scope, group_id)
) STRICT, WITHOUT ROWID;

-- The sales already held when this migration runs (those retention already detached are no
-- longer anyone's, and count for no household).
INSERT INTO rollup_households
SELECT month, site_id, territory_id, card_hash, count(*)
FROM sales WHERE voided = 0 AND card_hash IS NOT NULL
GROUP BY 1, 2, 3, 4;

INSERT INTO rollup_household_products
SELECT s.month, s.site_id, s.territory_id, l.product_id, s.card_hash, count(DISTINCT s.id)
FROM sale_lines l JOIN sales s ON s.id = l.sale_id
WHERE s.voided = 0 AND s.card_hash IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;
