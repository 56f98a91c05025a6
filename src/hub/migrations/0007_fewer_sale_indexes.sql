-- Congélo hub database, schema 7: fewer indexes on the rows every pushed sale writes.
--
-- Reports read the rollups, a recall reads `sale_line_lots` by lot and retention reads
-- `sales_attached_by_time`; no query reads sales by month, kiosk or household, or lines by
-- product. Each of these indexes cost every ingested sale (or line) one more B-tree insert and
-- more pages to sync at each push, so they go. Add one back with the query that needs it.

DROP INDEX sales_by_month;
DROP INDEX sales_by_kiosk;
DROP INDEX sales_by_household;
DROP INDEX sale_lines_by_product;
