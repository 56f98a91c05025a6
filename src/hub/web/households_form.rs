//! The household forms, checked field by field: tier, status, expiry and caps; a balance
//! adjustment with its reason; the number of cards of a batch. Pure (no storage).
//!
//! Caps are an open-ended list, so the household form is read as name/value pairs: rows
//! `cap_kind_N`, `cap_value_N`, `cap_period_N`, as on the tier form.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::caps_form::{CapRow, pad, parse_caps, read_cap_field, rows_for};
use super::form::FieldErrors;
use super::i18n::Lang;
use crate::domain::TierId;
use crate::domain::household::HouseholdStatus;
use crate::domain::money::{MAX_INPUT_CENTS, Money};
use crate::hub::store::HouseholdFields;

/// Most cards one batch may print (ten sheets).
pub const MAX_BATCH: u32 = 100;
/// Longest reason of a balance adjustment.
pub const MAX_REASON_CHARS: usize = 200;

/// The household fields as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HouseholdForm {
    pub tier: String,
    pub status: String,
    pub expires_on: String,
    pub caps: Vec<CapRow>,
}

impl HouseholdForm {
    /// An empty form (active, no expiry) with room for a few caps.
    pub fn blank() -> HouseholdForm {
        HouseholdForm {
            status: "active".into(),
            caps: vec![CapRow::default(); 3],
            ..HouseholdForm::default()
        }
    }

    /// Reads the body's name/value pairs (unknown names, the CSRF token among them, ignored).
    pub fn from_pairs(pairs: &[(String, String)]) -> HouseholdForm {
        let mut form = HouseholdForm::default();
        let mut caps: BTreeMap<usize, CapRow> = BTreeMap::new();
        for (name, value) in pairs {
            match name.as_str() {
                "tier" => form.tier = value.clone(),
                "status" => form.status = value.clone(),
                "expires_on" => form.expires_on = value.clone(),
                _ => {
                    read_cap_field(name, value, &mut caps);
                }
            }
        }
        form.caps = caps.into_values().collect();
        pad(&mut form.caps);
        form
    }

    /// The form filled with a stored household, amounts written for `lang`.
    pub fn from_fields(fields: &HouseholdFields, lang: Lang) -> HouseholdForm {
        let caps = rows_for(&fields.caps, lang);
        HouseholdForm {
            tier: fields.tier.0.to_string(),
            status: status_name(fields.status).into(),
            expires_on: fields.expires_on.map(|d| d.to_string()).unwrap_or_default(),
            caps,
        }
    }

    /// The tier id as typed, for the `<select>`.
    pub fn tier_id(&self) -> Option<i64> {
        self.tier.trim().parse().ok()
    }

    /// The household the form describes, or every problem found. `tiers` are the known tier
    /// ids; `today` refuses an expiry already past on a new household (`None`: any date).
    pub fn validate(
        &self,
        lang: Lang,
        tiers: &[TierId],
        today: Option<NaiveDate>,
    ) -> Result<HouseholdFields, FieldErrors> {
        let mut errors = FieldErrors::new(lang);
        let tier = self.tier_id().map(TierId).filter(|t| tiers.contains(t));
        if tier.is_none() {
            errors.add("tier", "hub-households-error-tier");
        }
        let status = match self.status.as_str() {
            "active" => Some(HouseholdStatus::Active),
            "revoked" => Some(HouseholdStatus::Revoked),
            _ => None,
        };
        if status.is_none() {
            errors.add("status", "hub-households-error-status");
        }
        let expires_on = self.expiry(today, &mut errors);
        let caps = parse_caps(
            &self.caps,
            &mut errors,
            "hub-households-error-cap",
            "hub-households-error-caps-many",
        );
        match (tier, status, errors.is_empty()) {
            (Some(tier), Some(status), true) => Ok(HouseholdFields {
                tier,
                status,
                expires_on,
                caps,
            }),
            _ => Err(errors),
        }
    }

    fn expiry(&self, today: Option<NaiveDate>, errors: &mut FieldErrors) -> Option<NaiveDate> {
        let text = self.expires_on.trim();
        if text.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) if today.is_some_and(|t| date < t) => {
                errors.add("expires_on", "hub-households-error-expiry-past");
                None
            }
            Ok(date) => Some(date),
            Err(_) => {
                errors.add("expires_on", "hub-households-error-expiry");
                None
            }
        }
    }
}

pub fn status_name(status: HouseholdStatus) -> &'static str {
    match status {
        HouseholdStatus::Active => "active",
        HouseholdStatus::Revoked => "revoked",
    }
}

/// A prepaid balance adjustment as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AdjustForm {
    pub amount: String,
    pub reason: String,
}

impl AdjustForm {
    /// The amount (credit positive, debit negative; never zero) and the reason.
    pub fn validate(&self, lang: Lang) -> Result<(Money, String), FieldErrors> {
        let mut errors = FieldErrors::new(lang);
        let amount = Money::parse(&self.amount)
            .ok()
            .filter(|m| m.cents() != 0 && m.cents().abs() <= MAX_INPUT_CENTS);
        if amount.is_none() {
            errors.add("amount", "hub-households-error-amount");
        }
        let reason = self.reason.trim();
        if reason.is_empty()
            || reason.chars().count() > MAX_REASON_CHARS
            || reason.chars().any(char::is_control)
        {
            errors.add("reason", "hub-households-error-reason");
        }
        match amount {
            Some(amount) if errors.is_empty() => Ok((amount, reason.to_owned())),
            _ => Err(errors),
        }
    }
}

/// A batch of cards as asked for: how many, which paper, and the form's one-time batch token.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BatchForm {
    pub count: String,
    pub paper: String,
    pub batch: String,
    /// A distribution day's tier (the household pages leave it empty).
    pub tier: String,
    pub expires_on: String,
    /// The lost card's hash (hex), for a replacement.
    pub card: String,
}

/// The paper a sheet is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    Letter,
    A4,
}

impl Paper {
    pub fn name(self) -> &'static str {
        match self {
            Paper::Letter => "letter",
            Paper::A4 => "a4",
        }
    }
}

impl BatchForm {
    /// The number of cards (1 to [`MAX_BATCH`]).
    pub fn count(&self, errors: &mut FieldErrors) -> u32 {
        match self.count.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_BATCH).contains(&n) => n,
            _ => {
                errors.add_with(
                    "count",
                    "hub-cards-error-count",
                    &[("max", MAX_BATCH.into())],
                );
                0
            }
        }
    }

    /// The distribution day's tier id as typed, for the `<select>`.
    pub fn tier_id(&self) -> Option<i64> {
        self.tier.trim().parse().ok()
    }

    /// The paper (Letter unless A4 is asked for).
    pub fn paper(&self) -> Paper {
        if self.paper == "a4" {
            Paper::A4
        } else {
            Paper::Letter
        }
    }

    /// The batch token, if it looks like one the form was given.
    pub fn nonce(&self, errors: &mut FieldErrors) -> String {
        let nonce = self.batch.trim();
        let plausible = (16..=128).contains(&nonce.len())
            && nonce
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !plausible {
            errors.add("batch", "hub-cards-error-batch");
        }
        nonce.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::web::form::pairs;

    #[test]
    fn a_good_household_round_trips() {
        let form = HouseholdForm::from_pairs(&pairs(&[
            ("tier", "2"),
            ("status", "active"),
            ("expires_on", "2030-06-30"),
            ("cap_kind_0", "amount"),
            ("cap_value_0", "25,00"),
            ("cap_period_0", "week"),
        ]));
        let fields = form
            .validate(Lang::FrCa, &[TierId(2)], None)
            .expect("valid");
        assert_eq!(fields.tier, TierId(2));
        assert_eq!(fields.caps.len(), 1);
        let again = HouseholdForm::from_fields(&fields, Lang::EnCa);
        assert_eq!(
            again.validate(Lang::EnCa, &[TierId(2)], None).unwrap(),
            fields
        );
    }

    #[test]
    fn every_wrong_household_field_is_named() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28);
        let form = HouseholdForm::from_pairs(&pairs(&[
            ("tier", "9"),
            ("status", "lost"),
            ("expires_on", "2020-01-01"),
            ("cap_kind_0", "amount"),
            ("cap_value_0", "-5"),
            ("cap_period_0", "week"),
        ]));
        let errors = form.validate(Lang::FrCa, &[TierId(2)], today).unwrap_err();
        for field in ["tier", "status", "expires_on", "cap_0"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let bad_date = HouseholdForm {
            expires_on: "30/06/2030".into(),
            ..HouseholdForm::blank()
        };
        assert!(
            bad_date
                .validate(Lang::EnCa, &[], None)
                .unwrap_err()
                .get("expires_on")
                .is_some()
        );
    }

    #[test]
    fn adjustments_take_both_decimal_marks_and_need_a_reason() {
        let ok = AdjustForm {
            amount: "25,00".into(),
            reason: "Dépôt en argent".into(),
        };
        assert_eq!(ok.validate(Lang::FrCa).unwrap().0, Money::from_cents(2500));
        let debit = AdjustForm {
            amount: "-3.50".into(),
            reason: "Correction".into(),
        };
        assert_eq!(
            debit.validate(Lang::EnCa).unwrap().0,
            Money::from_cents(-350)
        );
        let bad = AdjustForm {
            amount: "0".into(),
            reason: " ".into(),
        };
        let errors = bad.validate(Lang::FrCa).unwrap_err();
        assert!(errors.get("amount").is_some() && errors.get("reason").is_some());
    }

    #[test]
    fn a_batch_counts_one_to_a_hundred() {
        for (text, ok) in [
            ("1", true),
            ("100", true),
            ("0", false),
            ("101", false),
            ("x", false),
        ] {
            let mut errors = FieldErrors::new(Lang::EnCa);
            BatchForm {
                count: text.into(),
                ..BatchForm::default()
            }
            .count(&mut errors);
            assert_eq!(errors.is_empty(), ok, "{text}");
        }
    }
}
