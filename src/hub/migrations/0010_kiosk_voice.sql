-- Each kiosk's speaker settings (volume, mute, quiet hours), sent with its configuration. '{}'
-- reads as the defaults. Changing them makes kiosks pull a new configuration.
ALTER TABLE kiosks ADD COLUMN voice TEXT NOT NULL DEFAULT '{}'; -- JSON object

CREATE TRIGGER config_bump_kiosks_voice AFTER UPDATE OF voice ON kiosks
BEGIN UPDATE config_state SET version = version + 1; END;
