-- Congélo kiosk database, schema 3: stock levels are written by the store next to each movement
-- (`store::stock::insert_movement`), in the same transaction, instead of by a trigger. A trigger
-- makes every movement insert a multi-row statement, which SQLite journals page by page in a
-- statement journal: on the sale path that cost about a fifth of a commit's CPU time.
DROP TRIGGER stock_levels_follow_the_ledger;
