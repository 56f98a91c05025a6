//! The kiosk forms, checked field by field: name and site, payment methods, cold-chain and door
//! thresholds. Pure (no storage).

use crate::domain::config::Thresholds;
use crate::domain::sale::PaymentMethod;

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
}

/// What a valid kiosk form describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskValues {
    pub name: String,
    pub site: Option<i64>,
    pub methods: Vec<PaymentMethod>,
    pub thresholds: Thresholds,
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
        match (max, excursion, door, errors.is_empty()) {
            (Some(max), Some(excursion), Some(door), true) => Ok(KioskValues {
                name,
                site,
                methods,
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
        assert_eq!(values.thresholds.max_millicelsius, -12_500);
        assert_eq!(
            values.methods,
            vec![PaymentMethod::Cash, PaymentMethod::Prepaid]
        );
        let again = KioskForm::from_settings(&values.methods, &values.thresholds, Lang::FrCa);
        let back = again.validate(Lang::FrCa, false, &[]).expect("round trip");
        assert_eq!(back.thresholds, values.thresholds);
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
