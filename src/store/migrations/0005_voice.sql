-- Congélo kiosk database, schema 5: the speaker's settings (volume, mute, quiet hours), part of
-- the configuration snapshot. '{}' reads as the defaults.
ALTER TABLE config_meta ADD COLUMN voice TEXT NOT NULL DEFAULT '{}'; -- JSON object
