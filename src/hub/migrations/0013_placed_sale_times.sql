-- Congélo hub database, schema 13: sales a kiosk recorded while it doubted its clock.
--
-- Such a sale's `at`, `day` and `month` are the time the hub placed it at (the kiosk's time moved
-- by the clock offset measured at the push that brought it); `claimed_at` keeps what the kiosk's
-- clock said. NULL for a sale recorded under a trusted clock, whose `at` is the kiosk's own.
ALTER TABLE sales ADD COLUMN claimed_at TEXT;
