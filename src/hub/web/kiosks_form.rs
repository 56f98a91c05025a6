//! The kiosk forms, checked field by field: name and site, payment methods, cold-chain and door
//! thresholds, the speaker's volume, mute and quiet hours. Pure (no storage).

use chrono::NaiveTime;

use crate::domain::config::Thresholds;
use crate::domain::sale::PaymentMethod;
use crate::domain::voice::{MAX_VOLUME, QuietHours, VoiceSettings};

use super::form::FieldErrors;
use super::i18n::Lang;

/// Warmest limit staff may set, °C (a freezer above −5 °C is not a freezer).
pub const WARMEST_LIMIT_C: i32 = -5;
/// Coldest limit staff may set, °C.
pub const COLDEST_LIMIT_C: i32 = -30;

/// The kiosk form as typed (the body's name/value pairs: one `method` pair per ticked box).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KioskForm {
    pub name: String,
    pub site: String,
    pub methods: Vec<String>,
    pub max_celsius: String,
    pub excursion_minutes: String,
    pub door_seconds: String,
    pub stop_sales: bool,
    pub volume: String,
    pub muted: bool,
    /// `HH:MM`, or empty with `quiet_end` for no quiet hours.
    pub quiet_start: String,
    pub quiet_end: String,
}

/// What a valid kiosk form describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskValues {
    pub name: String,
    pub site: Option<i64>,
    pub methods: Vec<PaymentMethod>,
    pub thresholds: Thresholds,
    /// The defaults for a new kiosk (its form does not ask).
    pub voice: VoiceSettings,
}

impl KioskForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> KioskForm {
        let mut form = KioskForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "name" => form.name = value.clone(),
                "site" => form.site = value.clone(),
                "method" => form.methods.push(value.clone()),
                "max_celsius" => form.max_celsius = value.clone(),
                "excursion_minutes" => form.excursion_minutes = value.clone(),
                "door_seconds" => form.door_seconds = value.clone(),
                "stop_sales" => form.stop_sales = true,
                "volume" => form.volume = value.clone(),
                "muted" => form.muted = true,
                "quiet_start" => form.quiet_start = value.clone(),
                "quiet_end" => form.quiet_end = value.clone(),
                _ => {}
            }
        }
        form
    }

    /// A form showing stored settings (or the defaults, for a new kiosk).
    pub fn from_settings(
        methods: &[PaymentMethod],
        thresholds: &Thresholds,
        lang: Lang,
    ) -> KioskForm {
        let celsius = f64::from(thresholds.max_millicelsius) / 1000.0;
        let mut max_celsius = format!("{celsius}");
        if lang == Lang::FrCa {
            max_celsius = max_celsius.replace('.', ",");
        }
        KioskForm {
            methods: methods.iter().map(|m| m.as_str().to_owned()).collect(),
            max_celsius,
            excursion_minutes: thresholds.excursion_minutes.to_string(),
            door_seconds: thresholds.door_open_seconds.to_string(),
            stop_sales: thresholds.stop_sales_on_excursion,
            ..KioskForm::default()
        }
        .with_voice(&VoiceSettings::default())
    }

    /// The form showing these speaker settings.
    pub fn with_voice(self, voice: &VoiceSettings) -> KioskForm {
        let hhmm = |t: NaiveTime| t.format("%H:%M").to_string();
        KioskForm {
            volume: voice.volume_percent.to_string(),
            muted: voice.muted,
            quiet_start: voice.quiet_hours.map(|q| hhmm(q.start)).unwrap_or_default(),
            quiet_end: voice.quiet_hours.map(|q| hhmm(q.end)).unwrap_or_default(),
            ..self
        }
    }

    /// Whether the box of `method` is ticked.
    pub fn has(&self, method: &&str) -> bool {
        self.methods.iter().any(|m| m == method)
    }

    /// The site id as typed, for the `<select>`.
    pub fn site_id(&self) -> Option<i64> {
        self.site.trim().parse().ok()
    }

    /// The values, or every problem found. `with_identity` also checks name and site (a new
    /// kiosk); `sites` are the known site ids.
    pub fn validate(
        &self,
        lang: Lang,
        with_identity: bool,
        sites: &[i64],
    ) -> Result<KioskValues, FieldErrors> {
        let mut errors = FieldErrors::new(lang);
        let name = self.name.trim().to_owned();
        let site = self.site_id().filter(|s| sites.contains(s));
        if with_identity {
            if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
                errors.add("name", "hub-kiosks-error-name");
            }
            if site.is_none() {
                errors.add("site", "hub-kiosks-error-site");
            }
        }
        let methods: Vec<PaymentMethod> = PaymentMethod::ALL
            .into_iter()
            .filter(|m| self.methods.iter().any(|t| t == m.as_str()))
            .collect();
        let unknown = self
            .methods
            .iter()
            .any(|t| PaymentMethod::from_name(t).is_none());
        if methods.is_empty() || unknown {
            errors.add("methods", "hub-kiosks-error-methods");
        }
        let max = parse_celsius(&self.max_celsius);
        if max.is_none() {
            errors.add_with(
                "max_celsius",
                "hub-kiosks-error-max-temp",
                &[
                    ("coldest", COLDEST_LIMIT_C.into()),
                    ("warmest", WARMEST_LIMIT_C.into()),
                ],
            );
        }
        let excursion = parse_in(&self.excursion_minutes, 1, 24 * 60);
        if excursion.is_none() {
            errors.add("excursion_minutes", "hub-kiosks-error-excursion");
        }
        let door = parse_in(&self.door_seconds, 10, 3600);
        if door.is_none() {
            errors.add("door_seconds", "hub-kiosks-error-door");
        }
        // A new kiosk's form does not ask: it speaks with the defaults.
        let voice = if with_identity {
            Some(VoiceSettings::default())
        } else {
            self.voice(&mut errors)
        };
        match (max, excursion, door, voice, errors.is_empty()) {
            (Some(max), Some(excursion), Some(door), Some(voice), true) => Ok(KioskValues {
                name,
                site,
                methods,
                voice,
                thresholds: Thresholds {
                    max_millicelsius: max,
                    excursion_minutes: excursion,
                    door_open_seconds: door,
                    stop_sales_on_excursion: self.stop_sales,
                },
            }),
            _ => Err(errors),
        }
    }

    /// The speaker's settings, or `None` with the problems added to `errors`.
    fn voice(&self, errors: &mut FieldErrors) -> Option<VoiceSettings> {
        let volume = parse_in(&self.volume, 0, u32::from(MAX_VOLUME));
        if volume.is_none() {
            errors.add("volume", "hub-kiosks-error-volume");
        }
        let (start, end) = (self.quiet_start.trim(), self.quiet_end.trim());
        let quiet_hours = match (start.is_empty(), end.is_empty()) {
            (true, true) => Some(None),
            _ => match (parse_time(start), parse_time(end)) {
                (Some(start), Some(end)) if start != end => Some(Some(QuietHours { start, end })),
                _ => None,
            },
        };
        if quiet_hours.is_none() {
            errors.add("quiet_start", "hub-kiosks-error-quiet");
        }
        Some(VoiceSettings {
            volume_percent: u8::try_from(volume?).ok()?,
            muted: self.muted,
            quiet_hours: quiet_hours?,
        })
    }
}

/// A local time as typed: `22:00`, `7:30`, `07 h 30`.
fn parse_time(text: &str) -> Option<NaiveTime> {
    let cleaned = text.trim().replace(" h ", ":").replace('h', ":");
    NaiveTime::parse_from_str(&cleaned, "%H:%M").ok()
}

/// A temperature in °C as typed (`-12`, `−12,5`, `-18.0 °C`), in thousandths, within limits.
fn parse_celsius(text: &str) -> Option<i32> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('C')
        .trim_end_matches('°')
        .trim()
        .replace('\u{2212}', "-")
        .replace(',', ".");
    let value: f64 = cleaned.parse().ok()?;
    let range = f64::from(COLDEST_LIMIT_C)..=f64::from(WARMEST_LIMIT_C);
    if !value.is_finite() || !range.contains(&value) {
        return None;
    }
    Some((value * 1000.0).round() as i32)
}

fn parse_in(text: &str, low: u32, high: u32) -> Option<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (low..=high).contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::web::form::pairs;

    #[test]
    fn a_good_form_round_trips() {
        let form = KioskForm::from_pairs(&pairs(&[
            ("name", "Congélateur 1"),
            ("site", "3"),
            ("method", "cash"),
            ("method", "prepaid"),
            ("max_celsius", "−12,5"),
            ("excursion_minutes", "30"),
            ("door_seconds", "120"),
        ]));
        let values = form.validate(Lang::FrCa, true, &[3]).expect("valid");
        assert_eq!(values.voice, VoiceSettings::default());
        assert_eq!(values.thresholds.max_millicelsius, -12_500);
        assert_eq!(
            values.methods,
            vec![PaymentMethod::Cash, PaymentMethod::Prepaid]
        );
        let again = KioskForm::from_settings(&values.methods, &values.thresholds, Lang::FrCa);
        let back = again.validate(Lang::FrCa, false, &[]).expect("round trip");
        assert_eq!(back.thresholds, values.thresholds);
        assert_eq!(back.voice, VoiceSettings::default());
    }

    #[test]
    fn the_speaker_settings_round_trip_and_are_checked() {
        let form = KioskForm::from_pairs(&pairs(&[
            ("method", "cash"),
            ("max_celsius", "-12"),
            ("excursion_minutes", "30"),
            ("door_seconds", "120"),
            ("volume", "55"),
            ("muted", "1"),
            ("quiet_start", "22 h 00"),
            ("quiet_end", "7:00"),
        ]));
        let voice = form.validate(Lang::FrCa, false, &[]).expect("valid").voice;
        let quiet = voice.quiet_hours.expect("quiet hours");
        assert_eq!((voice.volume_percent, voice.muted), (55, true));
        assert_eq!(quiet.start, NaiveTime::from_hms_opt(22, 0, 0).unwrap());
        assert_eq!(quiet.end, NaiveTime::from_hms_opt(7, 0, 0).unwrap());
        let shown = KioskForm::default().with_voice(&voice);
        assert_eq!(
            (shown.quiet_start.as_str(), shown.quiet_end.as_str()),
            ("22:00", "07:00")
        );
        for (volume, start, end) in [
            ("101", "", ""),
            ("loud", "", ""),
            ("50", "22:00", ""),
            ("50", "25:00", "07:00"),
            ("50", "08:00", "08:00"),
        ] {
            let mut bad = form.clone();
            (bad.volume, bad.quiet_start, bad.quiet_end) =
                (volume.into(), start.into(), end.into());
            let errors = bad.validate(Lang::EnCa, false, &[]).unwrap_err();
            let field = if volume == "50" {
                "quiet_start"
            } else {
                "volume"
            };
            assert!(errors.get(field).is_some(), "{volume} {start}–{end}");
        }
    }

    #[test]
    fn every_wrong_field_is_named() {
        let form = KioskForm::from_pairs(&pairs(&[
            ("name", " "),
            ("site", "9"),
            ("method", "bitcoin"),
            ("max_celsius", "-2"),
            ("excursion_minutes", "0"),
            ("door_seconds", "5"),
        ]));
        let errors = form.validate(Lang::EnCa, true, &[3]).unwrap_err();
        for field in [
            "name",
            "site",
            "methods",
            "max_celsius",
            "excursion_minutes",
            "door_seconds",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        for bad in ["-31", "-4.9", "cold", "NaN", ""] {
            assert_eq!(parse_celsius(bad), None, "{bad}");
        }
        assert_eq!(parse_celsius("-30"), Some(-30_000));
        assert_eq!(parse_celsius("-5 °C"), Some(-5_000));
    }
}
