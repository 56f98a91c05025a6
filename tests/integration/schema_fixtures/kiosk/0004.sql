-- What the household bought across the fleet, as the hub last said; a restock whose level is
-- written beside its movement (no trigger since schema 3).
INSERT INTO hub_usage VALUES (1, '2026-11-02', 700, 2);
INSERT INTO hub_usage_meta VALUES (1, 2);
INSERT INTO events VALUES (3, '01a24848-ad00-7000-8000-000000000003', 1, '2026-11-03T09:00:00.000Z', 'stock',
    '{"kind":"stock","data":{"id":"01a24848-ad00-7000-8000-000000000003","kiosk":1,"product":1,"lot":"L2611-01","at":"2026-11-03T09:00:00.000Z","change":{"type":"restock","quantity":6},"by":null}}');
INSERT INTO stock_movements VALUES ('01a24848-ad00-7000-8000-000000000003', 3, 1, 'L2611-01',
    '2026-11-03T09:00:00.000Z', 'restock', 6, NULL, NULL, NULL, NULL);
UPDATE stock_levels SET level = level + 6 WHERE product_id = 1 AND lot = 'L2611-01';
