-- A territory, a site, a kiosk that pushed a restock and a cash sale, a household with a card,
-- as schema 1 stores them.
INSERT INTO territories VALUES (1, 'MRC de Test');
INSERT INTO sites VALUES (1, 'Sous-sol de l''église', 1);
INSERT INTO kiosks VALUES (1, 'Kiosque 1', 1, '2026-11-01T00:00:00.000Z', '["cash","card_terminal"]',
    '{"max_millicelsius":-12000,"excursion_minutes":30,"door_open_seconds":120,"stop_sales_on_excursion":false}');
INSERT INTO kiosk_tokens VALUES (zeroblob(32), 1, '2026-11-01T00:00:00.000Z', NULL);
INSERT INTO users VALUES (1, 'admin',
    '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
    'admin', NULL, '2026-11-01T00:00:00.000Z');
INSERT INTO products VALUES (1, 'CGP101',
    '{"fr-CA":"Carottes en rondelles","en-CA":"Sliced carrots","es":"Zanahorias en rodajas"}',
    'carrot', 500, 350, 0, 1);
INSERT INTO barcodes VALUES ('00627000000016', 1);
INSERT INTO tiers VALUES (1, 'Plein tarif', 100, 1, '[]');
INSERT INTO households VALUES (1, 1, 'active', '2030-12-31', '[]', 2500, NULL, 0, '2026-11-01T00:00:00.000Z');
INSERT INTO cards VALUES (X'2b02cfbfa32a30c621c5ea56082ace87c88b4726cea5a135b1d1ccf1aaf98a46', 1, 0,
    '2026-11-01T00:00:00.000Z');
INSERT INTO events VALUES (1, 1, '01a24848-ab89-72ff-b421-3c4a52e29764', '2026-11-02T14:00:00.000Z',
    '2026-11-02T14:00:01.000Z', 'stock', zeroblob(32),
    '{"kind":"stock","data":{"id":"01a24848-ab89-72ff-b421-3c4a52e29764","kiosk":1,"product":1,"lot":"L2611-01","at":"2026-11-02T14:00:00.000Z","change":{"type":"restock","quantity":12},"by":null}}');
INSERT INTO stock_movements VALUES (1, 1, '01a24848-ab89-72ff-b421-3c4a52e29764', 1, 'L2611-01',
    '2026-11-02T14:00:00.000Z', 'restock', 12, NULL);
INSERT INTO events VALUES (1, 2, '01a24848-acba-71c3-8ea1-2462c194530f', '2026-11-02T15:00:00.000Z',
    '2026-11-02T15:00:01.000Z', 'sale', zeroblob(32),
    '{"kind":"sale","data":{"id":"01a24848-acba-71c3-8ea1-2462c194530f","kiosk":1,"at":"2026-11-02T15:00:00.000Z","buyer":null,"tier":1,"lines":[{"product":1,"quantity":2,"full_unit":350,"charged_unit":350,"unit_weight_g":500,"tax":0,"lots":[{"lot":"L2611-01","quantity":2}]}],"totals":{"full":700,"paid":700,"subsidy":0,"tax":0,"due":700,"items":2,"net_weight_g":1000},"payment":{"method":"cash","amount":700,"cash_rounding":0,"reference":null}}}');
INSERT INTO sales VALUES ('01a24848-acba-71c3-8ea1-2462c194530f', 1, 2, 1, 1, '2026-11-02T15:00:00.000Z',
    '2026-11', NULL, NULL, 1, 2, 700, 700, 0, 0, 1000, 'cash', 700, 0, 0);
INSERT INTO sale_lines VALUES ('01a24848-acba-71c3-8ea1-2462c194530f', 0, 1, 1, 1, '2026-11', 2, 350, 350, 500, 0);
INSERT INTO sale_line_lots VALUES ('01a24848-acba-71c3-8ea1-2462c194530f', 0, 1, 'L2611-01', 2);
INSERT INTO stock_levels VALUES (1, 1, 'L2611-01', 10);
INSERT INTO kiosk_sync VALUES (1, 2);
