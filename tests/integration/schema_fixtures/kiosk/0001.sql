-- A configured kiosk with one product, a restock and a cash sale, as schema 1 stores them.
INSERT INTO settings VALUES ('kiosk_id', '1');
INSERT INTO config_meta (id, version, as_of_seq, payment_methods, thresholds) VALUES (1, 1, 0,
    '["cash","card_terminal"]',
    '{"max_millicelsius":-12000,"excursion_minutes":30,"door_open_seconds":120,"stop_sales_on_excursion":false}');
INSERT INTO products VALUES (1, 'CGP101',
    '{"fr-CA":"Carottes en rondelles","en-CA":"Sliced carrots","es":"Zanahorias en rodajas"}',
    'carrot', 500, 350, 0, 1);
INSERT INTO barcodes VALUES ('00627000000016', 1);
INSERT INTO tiers VALUES (1, 'Plein tarif', 100, 1, '[]');
INSERT INTO households VALUES (1, 1, 'active', '2030-12-31', '[]', 2500, NULL, 0);
INSERT INTO cards VALUES (X'2b02cfbfa32a30c621c5ea56082ace87c88b4726cea5a135b1d1ccf1aaf98a46', 1, 0);
INSERT INTO lots VALUES (1, 'L2611-01', NULL, '2027-03-01', 'Cuisine collective');
INSERT INTO events VALUES (1, '01a24848-ab89-72ff-b421-3c4a52e29764', 1, '2026-11-02T14:00:00.000Z', 'stock',
    '{"kind":"stock","data":{"id":"01a24848-ab89-72ff-b421-3c4a52e29764","kiosk":1,"product":1,"lot":"L2611-01","at":"2026-11-02T14:00:00.000Z","change":{"type":"restock","quantity":12},"by":null}}');
INSERT INTO stock_movements VALUES ('01a24848-ab89-72ff-b421-3c4a52e29764', 1, 1, 'L2611-01',
    '2026-11-02T14:00:00.000Z', 'restock', 12, NULL, NULL, NULL, NULL);
INSERT INTO events VALUES (2, '01a24848-acba-71c3-8ea1-2462c194530f', 1, '2026-11-02T15:00:00.000Z', 'sale',
    '{"kind":"sale","data":{"id":"01a24848-acba-71c3-8ea1-2462c194530f","kiosk":1,"at":"2026-11-02T15:00:00.000Z","buyer":null,"tier":1,"lines":[{"product":1,"quantity":2,"full_unit":350,"charged_unit":350,"unit_weight_g":500,"tax":0,"lots":[{"lot":"L2611-01","quantity":2}]}],"totals":{"full":700,"paid":700,"subsidy":0,"tax":0,"due":700,"items":2,"net_weight_g":1000},"payment":{"method":"cash","amount":700,"cash_rounding":0,"reference":null}}}');
INSERT INTO sales VALUES ('01a24848-acba-71c3-8ea1-2462c194530f', 2, 1, '2026-11-02T15:00:00.000Z', NULL, NULL,
    1, 700, 700, 0, 0, 2, 1000, 'cash', 700, 0, NULL);
INSERT INTO sale_lines VALUES ('01a24848-acba-71c3-8ea1-2462c194530f', 0, 1, 2, 350, 350, 500, 0);
INSERT INTO stock_movements VALUES ('01a24848-acbb-7000-8000-000000000001', 2, 1, 'L2611-01',
    '2026-11-02T15:00:00.000Z', 'sale', -2, NULL, NULL, '01a24848-acba-71c3-8ea1-2462c194530f', NULL);
INSERT INTO temperature_samples VALUES (1793631600, -18500);
UPDATE sync_state SET acked_through = 1;
