//! The caps rows that the tier and household forms share: read from the body's
//! `cap_period_N` / `cap_kind_N` / `cap_value_N` fields, shown from stored caps, and parsed with one
//! error per bad row.

use std::collections::BTreeMap;

use super::form::FieldErrors;
use super::i18n::{Lang, money_input};
use crate::domain::caps::{Cap, CapLimit, CapPeriod, MAX_CAP_ITEMS};
use crate::domain::money::{MAX_INPUT_CENTS, Money};

/// Most caps one tier or household may have.
pub const MAX_CAPS: usize = 6;

/// Blank rows a form shows at least, so a cap can be added without JavaScript.
const SHOWN_ROWS: usize = 3;

/// One cap row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CapRow {
    pub period: String,
    pub kind: String,
    pub value: String,
}

impl CapRow {
    fn is_blank(&self) -> bool {
        self.value.trim().is_empty()
    }

    fn from_cap(cap: &Cap, lang: Lang) -> CapRow {
        let period = match cap.period {
            CapPeriod::Week => "week",
            CapPeriod::Month => "month",
        };
        let (kind, value) = match cap.limit {
            CapLimit::Amount(amount) => ("amount", money_input(lang, amount)),
            CapLimit::Items(n) => ("items", n.to_string()),
        };
        CapRow {
            period: period.into(),
            kind: kind.into(),
            value,
        }
    }

    fn parse(&self) -> Option<Cap> {
        let period = match self.period.as_str() {
            "week" => CapPeriod::Week,
            "month" => CapPeriod::Month,
            _ => return None,
        };
        let limit = match self.kind.as_str() {
            "amount" => Money::parse(&self.value)
                .ok()
                .filter(|m| m.cents() > 0 && m.cents() <= MAX_INPUT_CENTS)
                .map(CapLimit::Amount)?,
            "items" => self
                .value
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_CAP_ITEMS).contains(n))
                .map(CapLimit::Items)?,
            _ => return None,
        };
        Some(Cap { period, limit })
    }
}

/// Puts a cap field into its row; `false` when `name` is not a cap field.
pub fn read_cap_field(name: &str, value: &str, caps: &mut BTreeMap<usize, CapRow>) -> bool {
    let row = |suffix: &str| suffix.parse::<usize>().ok().filter(|i| *i <= MAX_CAPS * 2);
    let value = value.to_owned();
    if let Some(i) = name.strip_prefix("cap_period_").and_then(row) {
        caps.entry(i).or_default().period = value;
    } else if let Some(i) = name.strip_prefix("cap_kind_").and_then(row) {
        caps.entry(i).or_default().kind = value;
    } else if let Some(i) = name.strip_prefix("cap_value_").and_then(row) {
        caps.entry(i).or_default().value = value;
    } else {
        return false;
    }
    true
}

/// The rows showing stored caps, with blank ones to fill in.
pub fn rows_for(caps: &[Cap], lang: Lang) -> Vec<CapRow> {
    let mut rows: Vec<CapRow> = caps.iter().map(|c| CapRow::from_cap(c, lang)).collect();
    pad(&mut rows);
    rows
}

/// Adds blank rows up to the number a form shows.
pub fn pad(rows: &mut Vec<CapRow>) {
    while rows.len() < SHOWN_ROWS {
        rows.push(CapRow::default());
    }
}

/// The caps typed: blank rows skipped, repeats dropped, `bad_row` (a message id) on each row that
/// is not a cap, `too_many` when there are more than [`MAX_CAPS`].
pub fn parse_caps(
    rows: &[CapRow],
    errors: &mut FieldErrors,
    bad_row: &str,
    too_many: &str,
) -> Vec<Cap> {
    let mut caps = Vec::new();
    for (index, row) in rows.iter().enumerate().filter(|(_, r)| !r.is_blank()) {
        match row.parse() {
            Some(cap) if !caps.contains(&cap) => caps.push(cap),
            Some(_) => {}
            None => errors.add(&format!("cap_{index}"), bad_row),
        }
    }
    if caps.len() > MAX_CAPS {
        errors.add("caps", too_many);
    }
    caps
}
