-- Congélo hub database, schema 6: retention reaches the event store.
--
-- The retention job detaches households from sales older than the retention period, but each
-- sale's event still held the household and card hash in its payload. From now on the job also
-- sets `buyer` to null in those events. That is the only change an event may ever see: its
-- identity, times, kind and content hash (which a re-send is checked against) stay as received.

DROP TRIGGER hub_events_are_append_only_update;
CREATE TRIGGER hub_events_are_append_only_update BEFORE UPDATE ON events
WHEN NEW.kiosk_id IS NOT OLD.kiosk_id OR NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id
    OR NEW.at IS NOT OLD.at OR NEW.received_at IS NOT OLD.received_at
    OR NEW.kind IS NOT OLD.kind OR NEW.content_hash IS NOT OLD.content_hash
    OR NEW.kind IS NOT 'sale'
    OR NEW.payload IS NOT json_replace(OLD.payload, '$.body.data.buyer', NULL)
BEGIN SELECT RAISE(ABORT, 'the hub never overwrites an event'); END;

-- Sales detached before this migration.
UPDATE events SET payload = json_replace(payload, '$.body.data.buyer', NULL)
WHERE kind = 'sale'
  AND (kiosk_id, seq) IN (
      SELECT kiosk_id, event_seq FROM sales WHERE household_id IS NULL AND card_hash IS NULL)
  AND json_extract(payload, '$.body.data.buyer') IS NOT NULL;
