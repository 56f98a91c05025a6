-- Congélo hub database, schema 2: what the reports read.
--
-- Every funder's report must answer in well under 250 ms on 1 000 000 sales, so reports never scan
-- `sales` or `sale_lines`: they sum these rollups, kept at ingest in the transaction that applies
-- each sale (and, negated, each void). Days are the hub's local calendar days ('YYYY-MM-DD').
--
-- Two rollups, because "number of sales" is a property of a sale, not of a line: `rollup_sales`
-- counts each sale once per (day, kiosk, tier); `rollup_lines` counts, per product, the sales that
-- held that product. A report grouped by product sums `rollup_lines`; any other report sums
-- `rollup_sales`, so its sale count is exact. Each exists per day and per month.

CREATE TABLE rollup_sales (
    day          TEXT NOT NULL,
    kiosk_id     INTEGER NOT NULL,
    tier_id      INTEGER NOT NULL,
    site_id      INTEGER NOT NULL, -- as copied onto the sale at ingest
    territory_id INTEGER NOT NULL,
    sales        INTEGER NOT NULL,
    units        INTEGER NOT NULL,
    grams        INTEGER NOT NULL,
    full_cents   INTEGER NOT NULL,
    paid_cents   INTEGER NOT NULL,
    PRIMARY KEY (day, kiosk_id, tier_id, site_id, territory_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE rollup_lines (
    day          TEXT NOT NULL,
    kiosk_id     INTEGER NOT NULL,
    tier_id      INTEGER NOT NULL,
    product_id   INTEGER NOT NULL,
    site_id      INTEGER NOT NULL,
    territory_id INTEGER NOT NULL,
    sales        INTEGER NOT NULL, -- sales holding this product
    units        INTEGER NOT NULL,
    grams        INTEGER NOT NULL,
    full_cents   INTEGER NOT NULL,
    paid_cents   INTEGER NOT NULL,
    PRIMARY KEY (day, kiosk_id, tier_id, product_id, site_id, territory_id)
) STRICT, WITHOUT ROWID;

-- The same per month ('YYYY-MM'): a report over a year sums twelve months of these and days of
-- the daily rollups only for the partial months at its ends.
CREATE TABLE rollup_sales_month (
    month        TEXT NOT NULL,
    kiosk_id     INTEGER NOT NULL,
    tier_id      INTEGER NOT NULL,
    site_id      INTEGER NOT NULL,
    territory_id INTEGER NOT NULL,
    sales        INTEGER NOT NULL,
    units        INTEGER NOT NULL,
    grams        INTEGER NOT NULL,
    full_cents   INTEGER NOT NULL,
    paid_cents   INTEGER NOT NULL,
    PRIMARY KEY (month, kiosk_id, tier_id, site_id, territory_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE rollup_lines_month (
    month        TEXT NOT NULL,
    kiosk_id     INTEGER NOT NULL,
    tier_id      INTEGER NOT NULL,
    product_id   INTEGER NOT NULL,
    site_id      INTEGER NOT NULL,
    territory_id INTEGER NOT NULL,
    sales        INTEGER NOT NULL,
    units        INTEGER NOT NULL,
    grams        INTEGER NOT NULL,
    full_cents   INTEGER NOT NULL,
    paid_cents   INTEGER NOT NULL,
    PRIMARY KEY (month, kiosk_id, tier_id, product_id, site_id, territory_id)
) STRICT, WITHOUT ROWID;

-- The sales already held when this migration runs.
INSERT INTO rollup_sales
SELECT date(at, 'localtime'), kiosk_id, tier_id, site_id, territory_id, count(*), sum(items),
       sum(net_weight_g), sum(full_cents), sum(paid_cents)
FROM sales WHERE voided = 0
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO rollup_lines
SELECT date(s.at, 'localtime'), s.kiosk_id, s.tier_id, l.product_id, s.site_id, s.territory_id,
       count(DISTINCT l.sale_id), sum(l.quantity), sum(l.quantity * l.unit_weight_g),
       sum(l.quantity * l.full_unit_cents), sum(l.quantity * l.charged_unit_cents)
FROM sale_lines l JOIN sales s ON s.id = l.sale_id
WHERE s.voided = 0
GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO rollup_sales_month
SELECT substr(day, 1, 7), kiosk_id, tier_id, site_id, territory_id, sum(sales), sum(units),
       sum(grams), sum(full_cents), sum(paid_cents)
FROM rollup_sales GROUP BY 1, 2, 3, 4, 5;

INSERT INTO rollup_lines_month
SELECT substr(day, 1, 7), kiosk_id, tier_id, product_id, site_id, territory_id, sum(sales),
       sum(units), sum(grams), sum(full_cents), sum(paid_cents)
FROM rollup_lines GROUP BY 1, 2, 3, 4, 5, 6;

-- Best-before and packing dates of lots, for "lots expiring soon". Kiosks read them from GS1
-- labels; the events they push name the lot only, so the hub learns dates from staff (or the demo
-- data) here, and from the kiosk's own lot convention `BB-YYYY-MM` when no label gave a lot.
CREATE TABLE lot_dates (
    product_id  INTEGER NOT NULL,
    lot         TEXT NOT NULL,
    packed_on   TEXT,
    best_before TEXT NOT NULL,
    PRIMARY KEY (product_id, lot)
) STRICT, WITHOUT ROWID;

-- Retention: finding the sales still attached to a household, oldest first.
CREATE INDEX sales_attached_by_time ON sales (at) WHERE household_id IS NOT NULL;
