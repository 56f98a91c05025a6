-- Congélo hub database, schema 9: each sale's reporting day, stored once.
--
-- A sale counts on its day in the hub's local time zone (the collective's). Ingest computes it
-- when the sale arrives and adds the sale to that day's rollups; a void takes the sale back out
-- of the same day and household usage for the kiosks' caps groups by it, both reading this
-- column rather than computing the day again (so they cannot disagree with ingest, even if the
-- hub's time zone setting changes). Sales stored before this column existed get the day their
-- rollups were counted under.

ALTER TABLE sales ADD COLUMN day TEXT; -- 'YYYY-MM-DD'; set on every row

UPDATE sales SET day = date(at, 'localtime');
