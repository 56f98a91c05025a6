-- Congélo kiosk database, schema 7: events written while the kiosk doubted its clock.
--
-- `clock` is the JSON of the event's clock mark (why the clock was doubted, the last time it was
-- trusted); NULL when the clock was trusted. It is sent with the event and never changes.
ALTER TABLE events ADD COLUMN clock TEXT;

DROP TRIGGER events_are_append_only_update;
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
WHEN NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id OR NEW.kiosk_id IS NOT OLD.kiosk_id
    OR NEW.at IS NOT OLD.at OR NEW.kind IS NOT OLD.kind OR NEW.kind IS NOT 'sale'
    OR NEW.clock IS NOT OLD.clock
    OR NEW.payload IS NOT json_replace(OLD.payload, '$.data.buyer', NULL)
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
