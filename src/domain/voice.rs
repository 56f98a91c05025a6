//! The kiosk's voice settings: how loud, whether muted, and the quiet hours during which it stays
//! silent (a freezer in a hallway of flats must not speak at night).
//!
//! Part of each kiosk's configuration from the hub. Pure: the kiosk passes the local time of day.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A daily span of local time, `start` included, `end` excluded; it may cross midnight
/// (22:00–07:00). Equal ends mean no quiet hours at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// Whether `time` (local) falls in the span.
    pub fn contains(&self, time: NaiveTime) -> bool {
        if self.start <= self.end {
            self.start <= time && time < self.end
        } else {
            time >= self.start || time < self.end
        }
    }
}

/// The loudest volume, in percent of the clips' own level.
pub const MAX_VOLUME: u8 = 100;

/// What the kiosk's speaker may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct VoiceSettings {
    /// 0 to 100, percent of the clips' level.
    pub volume_percent: u8,
    /// No voice and no sounds at all.
    pub muted: bool,
    /// Local hours with no voice and no sounds.
    pub quiet_hours: Option<QuietHours>,
}

impl Default for VoiceSettings {
    fn default() -> Self {
        VoiceSettings {
            volume_percent: 80,
            muted: false,
            quiet_hours: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum VoiceError {
    #[error("the volume must be between 0 and {MAX_VOLUME} %")]
    Volume,
}

impl VoiceSettings {
    pub fn validate(&self) -> Result<(), VoiceError> {
        if self.volume_percent > MAX_VOLUME {
            return Err(VoiceError::Volume);
        }
        Ok(())
    }

    /// Whether the speaker may play at local time `time`.
    pub fn audible_at(&self, time: NaiveTime) -> bool {
        !self.muted
            && self.volume_percent > 0
            && !self.quiet_hours.is_some_and(|quiet| quiet.contains(time))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn quiet_hours_may_cross_midnight() {
        let night = QuietHours {
            start: at(22, 0),
            end: at(7, 0),
        };
        for (time, quiet) in [
            (at(21, 59), false),
            (at(22, 0), true),
            (at(0, 0), true),
            (at(6, 59), true),
            (at(7, 0), false),
            (at(12, 0), false),
        ] {
            assert_eq!(night.contains(time), quiet, "{time}");
        }
        let lunch = QuietHours {
            start: at(12, 0),
            end: at(13, 0),
        };
        assert!(lunch.contains(at(12, 30)) && !lunch.contains(at(13, 0)));
        let none = QuietHours {
            start: at(8, 0),
            end: at(8, 0),
        };
        assert!(!none.contains(at(8, 0)));
    }

    #[test]
    fn mute_zero_volume_and_quiet_hours_silence() {
        let voice = VoiceSettings {
            quiet_hours: Some(QuietHours {
                start: at(22, 0),
                end: at(7, 0),
            }),
            ..VoiceSettings::default()
        };
        assert!(voice.audible_at(at(15, 0)));
        assert!(!voice.audible_at(at(23, 0)));
        let muted = VoiceSettings {
            muted: true,
            ..VoiceSettings::default()
        };
        assert!(!muted.audible_at(at(15, 0)));
        let silent = VoiceSettings {
            volume_percent: 0,
            ..VoiceSettings::default()
        };
        assert!(!silent.audible_at(at(15, 0)));
        assert_eq!(
            VoiceSettings {
                volume_percent: 101,
                ..VoiceSettings::default()
            }
            .validate(),
            Err(VoiceError::Volume)
        );
    }

    #[test]
    fn an_empty_or_partial_object_takes_the_defaults() {
        let empty: VoiceSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, VoiceSettings::default());
        let quiet: VoiceSettings = serde_json::from_str(
            r#"{"muted":true,"quiet_hours":{"start":"22:00:00","end":"07:00:00"}}"#,
        )
        .unwrap();
        assert!(quiet.muted);
        assert_eq!(quiet.quiet_hours.unwrap().start, at(22, 0));
    }
}
